// Elapsed time and ETA of a job, from what its chunks record. The clock is passed in: `nowMs` is the
// ui host's wall time; start and end times come from the nodes' records. They are for people to read,
// never for deciding liveness, so a skewed node clock only skews a display (clamped at zero).
import type { ChunkCounts } from '../../jobs/read.js';
import type { JobState } from '../../jobs/state.js';

/** What the ui has gathered about a job's chunk times so far (a sample of its done chunks). */
export interface JobTiming {
  /** Sum and number of the durations of done chunks read so far. */
  doneMs: number;
  doneCount: number;
  /** Earliest start and latest end seen on any chunk read. */
  firstStartMs?: number;
  lastEndMs?: number;
  /** Start times of the chunks running now. */
  runningStartsMs: readonly number[];
}

export interface JobEstimate {
  elapsedMs?: number;
  etaMs?: number;
  meanChunkMs?: number;
}

/** What is left of a running chunk that has run longer than the mean, as a share of the mean. */
export const OVERDUE_SHARE = 0.1;

export const EMPTY_TIMING: JobTiming = Object.freeze({ doneMs: 0, doneCount: 0, runningStartsMs: Object.freeze([]) as readonly number[] });

/** Elapsed: first chunk start to now (or to the last end, once finished). ETA: only while the job moves. */
export function estimateJob(counts: ChunkCounts, state: JobState, timing: JobTiming, nowMs: number): JobEstimate {
  const finished = state === 'done' || state === 'failed';
  const start = timing.firstStartMs ?? (timing.runningStartsMs.length > 0 ? Math.min(...timing.runningStartsMs) : undefined);
  const end = finished ? timing.lastEndMs : nowMs;
  const elapsedMs = start !== undefined && end !== undefined ? Math.max(0, end - start) : undefined;
  const meanChunkMs = timing.doneCount > 0 ? timing.doneMs / timing.doneCount : undefined;
  const moving = state === 'running' || (state === 'queued' && counts.done > 0);
  if (!moving) return { elapsedMs, meanChunkMs };
  return { elapsedMs, meanChunkMs, etaMs: remainingMs(counts, timing, meanChunkMs, elapsedMs, nowMs) };
}

function remainingMs(counts: ChunkCounts, timing: JobTiming, meanChunkMs: number | undefined, elapsedMs: number | undefined, nowMs: number): number | undefined {
  const parallel = Math.max(1, counts.running);
  if (meanChunkMs !== undefined) {
    // a running chunk has about a mean duration minus what it has already run left (half when unknown);
    // one already past the mean is not done yet either: a tenth of a mean, rather than a false "0s"
    const runningLeft = counts.running === 0 ? 0 : timing.runningStartsMs.length === 0
      ? (counts.running * meanChunkMs) / 2
      : timing.runningStartsMs.reduce((sum, s) => sum + Math.max(meanChunkMs * OVERDUE_SHARE, meanChunkMs - Math.max(0, nowMs - s)), 0);
    return (counts.queued * meanChunkMs + runningLeft) / parallel;
  }
  // no duration read yet: the job's own pace so far (done chunks per elapsed time)
  if (elapsedMs === undefined || elapsedMs <= 0 || counts.done === 0) return undefined;
  return ((counts.queued + counts.running) * elapsedMs) / counts.done;
}

/** Adds one chunk's recorded times to a timing (pure: returns a new timing). */
export function addChunkTimes(timing: JobTiming, startMs: number | undefined, endMs: number | undefined, done: boolean): JobTiming {
  const next = { ...timing };
  if (startMs !== undefined) next.firstStartMs = Math.min(startMs, timing.firstStartMs ?? startMs);
  if (endMs !== undefined) next.lastEndMs = Math.max(endMs, timing.lastEndMs ?? endMs);
  if (done && startMs !== undefined && endMs !== undefined && endMs >= startMs) {
    next.doneMs = timing.doneMs + (endMs - startMs);
    next.doneCount = timing.doneCount + 1;
  }
  return next;
}
