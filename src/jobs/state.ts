// A job's state, derived from its chunk counts and flags: never stored, so it cannot go stale.
import type { ChunkCounts } from './read.js';

/** `broken`: the job cannot be read (by this user, or by a node that said so); never derived from counts. */
export const JOB_STATES = ['queued', 'running', 'paused', 'done', 'failed', 'broken'] as const;
export type JobState = (typeof JOB_STATES)[number];

export interface JobFlags {
  paused: boolean;
  /** Too many chunks failed (--max-failed): the rest will not run. */
  failedEarly?: boolean;
  /** How many chunks the job has (its record says): fewer listed means one is moving between folders. */
  chunks?: number;
}

export function deriveJobState(counts: ChunkCounts, flags: JobFlags | boolean): JobState {
  const { paused, failedEarly, chunks } = typeof flags === 'boolean' ? { paused: flags, failedEarly: false, chunks: undefined } : flags;
  // the four folders are listed one after another: a chunk moving between two of them (claimed, ended,
  // given back) can be in neither listing, and the job must not pass as finished without it
  const moving = chunks !== undefined && counts.total < chunks ? chunks - counts.total : 0;
  const live = counts.queued + counts.running + moving;
  if (paused && live > 0) return 'paused';
  if (counts.running > 0 || moving > 0) return 'running';
  if (failedEarly) return 'failed';
  if (counts.queued > 0) return 'queued';
  if (counts.failed > 0) return 'failed';
  return 'done';
}

/** Whether `render wait` can stop waiting for a job in this state. */
export function isFinished(state: JobState): boolean {
  return state === 'done' || state === 'failed';
}
