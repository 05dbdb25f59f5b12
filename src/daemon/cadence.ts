// Every period the node keeps, in one table: resolved once with its options (options.ts) and frozen, so a
// reader finds the node's rhythm here instead of in constants spread over daemon/. The liveness periods
// (heartbeat, recovery sweep) are the farm's budget (liveness/budget.ts): every node must share them.
import { HEARTBEAT_MS, OBSERVE_MS } from '../liveness/budget.js';

export interface Cadence {
  /** The node record is rewritten (its heartbeat) this often: liveness/budget.ts. */
  heartbeatMs: number;
  /** Dead nodes' chunks are looked for this often: liveness/budget.ts. */
  observeMs: number;
  /** Chunk starts and ends rewrite the node record at most this often. */
  heartbeatCoalesceMs: number;
  /** One running chunk's progress is saved per period, the one saved longest ago (issue 26). */
  progressSaveMs: number;
  /** The control file (pause, drain) is re-read at least this often; a node-control message marks it changed at once. */
  controlReadMs: number;
  /** How often --idle-only looks at the user's terminals. */
  idleCheckMs: number;
  /** Crash debris (staging folders, trash, old quarantine) is swept this often. */
  debrisSweepMs: number;
  /** A loop round that failed is retried after pollMs doubling per failure, up to this. */
  loopBackoffMaxMs: number;
  /**
   * A job whose last chunk here took under this long is short: a chunk is claimed ahead behind it (ahead.ts).
   * RENDERD_SHORT_CHUNK_MS raises it for tests, which cannot count on a loaded machine running any chunk that fast.
   */
  shortChunkMs: number;
  /** Every node record is read (idle nodes judged, names and traits refreshed) this often at least... */
  nodesRefreshMs: number;
  /** ...and this much more per node known: a node's share stays about one record read a second. */
  nodesRefreshPerNodeMs: number;
  /** While every node is alive and none left, running/ folders are swept this often at least... */
  safetySweepMs: number;
  /** ...and this much more per active job: an idle node's cost must not grow with them (issue 17). */
  safetySweepPerJobMs: number;
  /** jobs/ is checked this often for jobs that lost their active/ entry in a crash. */
  lostEntryCheckMs: number;
  /** active/ is listed again at least this often whatever its stat says (a filer's attribute cache may lag). */
  activeFullListMs: number;
  /** Dependency states and blocklists change slowly: re-read at most this often. */
  jobRulesCacheMs: number;
  /** A job this node could not read is retried after this, doubling up to brokenJobMaxBackoffMs. */
  brokenJobBackoffMs: number;
  brokenJobMaxBackoffMs: number;
  /** A job passed over for a reason only other nodes' work changes (blocklist, --max-nodes, licences) is looked at again this often. */
  passedRecheckMs: number;
  /** A job waiting for a change of active/ is looked at again after this anyway: an announcement can be lost. */
  passedOnChangeRecheckMs: number;
  /** A job whose queued chunks were all taken by others as this node tried them is looked at again after this (up to twice it). */
  contendedRetryMs: number;
  /** A name claim being taken over is looked at again this often while it waits. */
  nameClaimPollMs: number;
  /** A job's working folder is looked up at most this often, and a lookup this old is made again when a chunk starts. */
  workingDirFreshMs: number;
}

export const DEFAULT_CADENCE: Readonly<Cadence> = Object.freeze({
  heartbeatMs: HEARTBEAT_MS,
  observeMs: OBSERVE_MS,
  heartbeatCoalesceMs: 250,
  progressSaveMs: 3000,
  controlReadMs: 5000,
  idleCheckMs: 2000,
  debrisSweepMs: 3_600_000,
  loopBackoffMaxMs: 60_000,
  shortChunkMs: 100,
  nodesRefreshMs: 60_000,
  nodesRefreshPerNodeMs: 1000,
  safetySweepMs: 30_000,
  safetySweepPerJobMs: 5_000,
  lostEntryCheckMs: 30_000,
  activeFullListMs: 30_000,
  jobRulesCacheMs: 1000,
  brokenJobBackoffMs: 2000,
  brokenJobMaxBackoffMs: 5 * 60_000,
  passedRecheckMs: 5000,
  passedOnChangeRecheckMs: 5 * 60_000,
  contendedRetryMs: 250,
  nameClaimPollMs: 250,
  workingDirFreshMs: 1000,
});

/**
 * The table, with the environment's knobs (read once, at start, by the composition root's caller). A test-only
 * knob that is not a positive number is ignored, as it always was: the default stands.
 */
export function resolveCadence(env: NodeJS.ProcessEnv): Readonly<Cadence> {
  const shortChunkMs = Number(env.RENDERD_SHORT_CHUNK_MS);
  if (!(shortChunkMs > 0)) return DEFAULT_CADENCE;
  return Object.freeze({ ...DEFAULT_CADENCE, shortChunkMs });
}
