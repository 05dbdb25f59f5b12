// The warm path (issue 17): a job's Blender kept loaded between its chunks on a node. See README "A warm
// Blender per slot", libexec/ (warm-server.py, warm_state.py, warm-client.pl) and broker, pool, blender, output.
import { hookLauncher } from '../hooks/launcher.js';
import { WarmBroker } from './broker.js';
import { WarmPool } from './pool.js';

export { WarmBroker } from './broker.js';
export { WarmPool } from './pool.js';

export interface WarmSettings {
  slots: number;
  idleMs: number;
  maxFrames: number;
  nice: number;
  ioIdle: boolean;
  /** The node's private socket (its folder is 0700): the warm sockets go beside it. */
  nodeSocket: string;
  /** Free memory kept: no warm Blender is loaded below this share (RENDERD_WARM_MIN_FREE, read in daemon/options.ts). */
  minFreeShare: number;
  log: (line: string) => void;
}

/** The node's warm path, or undefined when it is off (--warm-idle 0, or no Perl for launcher and client). */
export async function startWarmPath(settings: WarmSettings): Promise<WarmBroker | undefined> {
  if (settings.idleMs <= 0 || !hookLauncher(settings.nice, settings.ioIdle)) return undefined;
  const pool = new WarmPool(() => hookLauncher(settings.nice, settings.ioIdle), {
    capacity: settings.slots,
    idleMs: settings.idleMs,
    maxFrames: settings.maxFrames,
    minFreeShare: settings.minFreeShare,
    loadTimeoutMs: 600_000,
  }, settings.nodeSocket.replace(/\.sock$/, '.blender'), settings.log);
  const broker = new WarmBroker(pool, settings.nodeSocket.replace(/\.sock$/, '.warm.sock'), settings.log);
  await broker.listen();
  return broker;
}
