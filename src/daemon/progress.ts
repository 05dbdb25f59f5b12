// Which progress parser a job's output goes through: Blender jobs get Blender's log parser.
import { initialProgress, reduceProgress, type ChunkProgress } from '../blender/progress.js';
import type { ChunkProgressRecord, JobRecord } from '../spool/records.js';
import type { ProgressTracker } from './chunk/progress-saver.js';

export function blenderProgressFor(job: JobRecord): ProgressTracker | undefined {
  if (job.kind !== 'blender') return undefined;
  let state = initialProgress();
  return {
    onLine: (line) => { state = reduceProgress(state, line); },
    current: () => toRecord(state),
  };
}

/** The part of Blender's progress kept in the chunk's record (`render show`, the ui). */
export function toRecord(progress: ChunkProgress): ChunkProgressRecord | undefined {
  if (progress.frame === null && progress.framesDone === 0 && progress.peakMemMB === null) return undefined;
  return {
    frame: progress.frame ?? undefined,
    framesDone: progress.framesDone,
    sample: progress.sample ?? undefined,
    peakMemMB: progress.peakMemMB ?? undefined,
  };
}
