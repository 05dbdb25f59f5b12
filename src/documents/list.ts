// The document `render list --json` prints and GET /api/jobs serves.
import type { FarmContext } from '../claim/context.js';
import { listJobSummaries, type JobSummary } from '../jobs/summary.js';
import { filterJobs, type JobFilter } from '../reports/job-filter.js';
import { jobsSeenOnNode } from '../reports/node-jobs.js';

/** The document `render list --json` prints and `GET /api/jobs` serves: one schema, one source. */
export async function listDocument(ctx: FarmContext, filter: JobFilter): Promise<JobSummary[]> {
  const nodeJobs = filter.node === undefined ? undefined : await jobsSeenOnNode(ctx, filter.node);
  return filterJobs(await listJobSummaries(ctx), filter, nodeJobs);
}
