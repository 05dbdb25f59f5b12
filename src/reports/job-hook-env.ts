// Job-level hooks (`job-done-*`, `job-failed-*`): which of a folder's scripts run when a job ends,
// and their environment. Pure functions; running them is in job-hooks.ts.
import type { ChunkCounts } from '../jobs/read.js';
import { SpoolLayout } from '../spool/layout.js';
import type { JobRecord } from '../spool/records.js';

export type JobStatus = 'ok' | 'failed';

/** All chunks done → `job-done-*`; any failed → `job-failed-*`. */
export function jobStatusOf(counts: Pick<ChunkCounts, 'failed'>, failedEarly = false): JobStatus {
  // a job failed for its dependency has no failed chunk, and did fail
  return counts.failed > 0 || failedEarly ? 'failed' : 'ok';
}

/** The scripts for a status among a hook folder's names, in lexical order; backups and dot files skipped. */
export function jobHookNames(names: readonly string[], status: JobStatus): string[] {
  const prefix = status === 'ok' ? 'job-done-' : 'job-failed-';
  return names.filter((n) => n.startsWith(prefix) && n.length > prefix.length && !n.endsWith('~') && !n.includes('/')).sort();
}

export interface JobHookContext {
  spool: string;
  job: JobRecord;
  counts: ChunkCounts;
  status: JobStatus;
  node: string;
  logFile: string;
}

export function jobHookEnvironment(context: JobHookContext): Record<string, string> {
  const { job, counts } = context;
  return {
    RENDER_SPOOL: context.spool,
    RENDER_JOB: job.id,
    RENDER_JOB_DIR: new SpoolLayout(context.spool).jobDir(job.id),
    RENDER_JOB_NAME: job.name,
    RENDER_OWNER: job.owner,
    RENDER_STATUS: context.status,
    RENDER_CHUNKS_TOTAL: String(counts.total),
    RENDER_CHUNKS_DONE: String(counts.done),
    RENDER_CHUNKS_FAILED: String(counts.failed),
    RENDER_FRAMES: job.frames,
    RENDER_FILE: job.file ?? '',
    RENDER_OUTPUT: job.output ?? '',
    RENDER_NODE: context.node,
    RENDER_LOG: context.logFile,
  };
}
