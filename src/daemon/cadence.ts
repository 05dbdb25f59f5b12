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
