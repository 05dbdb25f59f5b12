// Which progress parser a job's output goes through: Blender jobs get Blender's log parser.
import type { JobRecord } from '../spool/records.js';
import type { ProgressTracker } from './worker.js';

export function blenderProgressFor(job: JobRecord): ProgressTracker | undefined {
  if (job.kind !== 'blender') return undefined;
  return undefined; // wired to src/blender/progress.ts once it lands
}
