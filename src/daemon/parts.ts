// The parts a render node is made of, every one built in main.ts (the composition root) and handed to
// its life and rounds (daemon.ts, claim-loop.ts): the list a reader checks to know what a node does.
import type { FarmContext } from '../claim/context.js';
import type { HolderJudge } from '../liveness/judge.js';
import type { ClaimKeeper } from '../liveness/keeper.js';
import type { ProcessIdentity } from '../nodes/host.js';
import type { SystemSampler } from '../nodes/sysinfo.js';
import type { PeerServer } from '../peers/index.js';
import type { WarmBroker } from '../warm/index.js';
import type { ChunkDurations } from './ahead.js';
import type { ChunkRunDeps } from './chunk/chunk-run.js';
import type { ChunkFinder } from './finder.js';
import type { RunningJobsWatch } from './job-watch.js';
import type { NodeRecordWriter } from './node-record.js';
import type { NodeState } from './node-state.js';
import type { DaemonOptions } from './options.js';
import type { Reaper } from './reaper.js';
import type { SlotTable } from './slot-table.js';
import type { Timers } from './timers.js';
import type { UserPresence } from './user-presence.js';
import type { Waker } from './waker.js';

/** The node's parts, every one built in main.ts. */
export interface NodeParts {
  ctx: FarmContext;
  options: DaemonOptions;
  identity: ProcessIdentity;
  /** This instance's id: also the owner written into every lock it takes. */
  instance: string;
  judge: HolderJudge;
  slots: SlotTable;
  waker: Waker;
  state: NodeState;
  record: NodeRecordWriter;
  presence: UserPresence;
  timers: Timers;
  finder: ChunkFinder;
  reaper: Reaper;
  /** The lease on its hooks, and its own claims checked against what it runs. */
  keeper: ClaimKeeper;
  /** Pause and removal of the jobs run here, seen through active/: one watch for every slot. */
  jobWatch: RunningJobsWatch;
  /** How long recent chunks took here, per job: a node claims ahead only behind short ones. */
  durations: ChunkDurations;
  sampler: SystemSampler;
  chunkDeps: ChunkRunDeps;
  /** Starts the peer server and the warm path once the name is ours. */
  listen(key: Buffer): Promise<PeerServer>;
  startWarm(server: PeerServer): Promise<WarmBroker | undefined>;
  /** What it found of its Blenders, logged once it is up. */
  blenderLine: string;
  /** One line per decision (RENDERD_LOG_DECISIONS=1): what tests wait for instead of sleeping. */
  decide(line: string): void;
}
