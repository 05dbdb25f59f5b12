// The node's peer server (unix socket, and TCP for other hosts): what it answers of the node's state, and
// how a message reaches the loop (a wake-up, a control change, a chunk to stop).
import type { FarmContext } from '../claim/context.js';
import type { ProbedBlender } from '../blender/probe.js';
import { localSocketPath } from '../nodes/address.js';
import { privateSocketPath } from '../nodes/socket-dir.js';
import type { SystemFigures } from '../nodes/sysinfo.js';
import { startPeerServer, type PeerServer, type StatusReplyBody } from '../peers/index.js';
import { answerDoctor } from './doctor-answer.js';
import type { DaemonOptions } from './options.js';
import { handlePeerMessage, type NodeSurface } from './peer-handler.js';
import type { NodeState } from './node-state.js';
import type { SlotTable } from './slot-table.js';

export interface NodeServerDeps {
  ctx: FarmContext;
  options: Pick<DaemonOptions, 'node' | 'slots' | 'listen'>;
  instance: string;
  blenders: readonly ProbedBlender[] | undefined;
  slots: SlotTable;
  state: NodeState;
  figures(): SystemFigures | undefined;
  wake(): void;
  /** One line per decision a message led to (tests wait for them). */
  decide(line: string): void;
}

/** Listens on the node's socket (only this user may write its folder: one another user made first is not used). */
export async function startNodeServer(deps: NodeServerDeps, key: Buffer): Promise<PeerServer> {
  const { ctx, options, instance } = deps;
  const log = (line: string) => ctx.log(line);
  const unixPath = await privateSocketPath(localSocketPath(ctx.layout.root, options.node), log);
  const surface = nodeSurface(deps);
  return startPeerServer({
    key,
    name: options.node,
    instance,
    tcp: options.listen,
    unixPath,
    handle: async (msg) => handlePeerMessage(surface, msg),
    log: { info: log, warn: log },
  });
}

function nodeSurface(deps: NodeServerDeps): NodeSurface {
  const { slots } = deps;
  return {
    wake: () => {
      deps.decide('woken by peer');
      deps.wake();
    },
    status: () => statusOf(deps),
    control: (action) => {
      deps.decide(`node control: ${action}`);
      deps.state.controlChanged();
      deps.wake();
    },
    stopChunks: (job, chunk, token, reason) => slots.stopMatching(job, chunk, token, reason),
    isRunning: (job, chunk, token) => slots.get(job, chunk)?.token === token,
    doctor: (probe) => answerDoctor(deps.ctx.layout, probe, deps.blenders),
    instance: deps.instance,
  };
}

function statusOf(deps: NodeServerDeps): StatusReplyBody {
  const sys = deps.figures();
  const state = deps.state.state;
  return {
    node: deps.options.node,
    state: state === 'running' ? 'active' : state,
    slots: deps.options.slots,
    running: [...deps.slots.values()].map((c) => ({ job: c.job.id, chunk: c.record.id, token: c.token, attempt: c.record.attempt, ...c.progress.live() })),
    load: sys?.load[0],
    mem: sys ? { usedBytes: sys.mem.used, totalBytes: sys.mem.total } : undefined,
    swap: sys ? { usedBytes: sys.swap.used, totalBytes: sys.swap.total } : undefined,
  };
}
