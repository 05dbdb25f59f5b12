// The I/O edge of `render report`: the job's chunks, its attempts from every node's stats file, and
// its previews read in as data URIs, so the page needs nothing beside it.
import fs from 'node:fs/promises';
import type { FarmContext } from '../claim/context.js';
import { chunkSummaries } from '../jobs/summary.js';
import { listPreviews } from '../previews/paths.js';
import type { JobRecord } from '../spool/records.js';
import { aggregateStats } from './aggregate.js';
import type { JobReportInput } from './job-report.js';
import { readStats } from './stats-reader.js';

export async function loadJobReport(ctx: FarmContext, job: JobRecord, state: string, nowMs: number): Promise<JobReportInput> {
  const [chunks, { stats }, previews] = await Promise.all([
    chunkSummaries(ctx, job.id), readStats(ctx.layout, { log: ctx.log }), listPreviews(ctx.layout, job.id),
  ]);
  const attempts = stats.filter((s) => s.job === job.id).sort((a, b) => a.start.localeCompare(b.start));
  const uris = new Map<number, string>();
  for (const p of previews) {
    const data = await fs.readFile(p.path).catch(() => undefined);
    if (data) uris.set(p.frame, `data:image/png;base64,${data.toString('base64')}`);
  }
  return {
    job: { id: job.id, name: job.name, owner: job.owner, state, file: job.file, output: job.output, createdAt: job.createdAt },
    chunks: chunks.map((c) => ({ id: c.id, frames: c.frames, state: c.state, node: c.node, attempt: c.attempt, error: c.error })),
    attempts, previews: uris, report: aggregateStats(attempts, { nowMs }), generatedAt: new Date(nowMs).toISOString(), spool: ctx.layout.root,
  };
}
