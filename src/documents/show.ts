// The document `render show --json` prints and GET /api/jobs/<id> serves.
import type { FarmContext } from '../claim/context.js';
import { chunkSummaries, summarizeJob } from '../jobs/summary.js';
import { waitingFor } from '../jobs/dependencies.js';
import { noNodeRuns, recentNodeTraits } from '../jobs/eligibility.js';
import { latestPreview, listPreviews } from '../previews/paths.js';
import { readNodeRecords } from '../nodes/registry.js';
import type { JobRecord } from '../spool/records.js';

/** The document `render show --json` prints and `GET /api/jobs/<id>` serves: one schema, one source. */
export async function showDocument(ctx: FarmContext, record: JobRecord) {
  // a job no live node can run says why (its Blender, a denoiser): one line in its summary
  const nodes = recentNodeTraits((await readNodeRecords(ctx.layout, ctx.log)).values(), Date.now());
  const [summary, chunks, waiting, previews] = await Promise.all([summarizeJob(ctx, record, undefined, (r) => noNodeRuns(r, nodes)), chunkSummaries(ctx, record.id), waitingFor(ctx, record), listPreviews(ctx.layout, record.id)]);
  const byFrame = new Map(previews.map((p) => [p.frame, p.path]));
  const chunkList = chunks.map((c) => ({ ...c, previews: c.frames.filter((f) => byFrame.has(f)).map((frame) => ({ frame, path: byFrame.get(frame)! })) }));
  return {
    ...summary, file: record.file, scene: record.scene, output: record.output, format: record.format, command: record.command,
    chunkSize: record.chunkSize, retries: record.retries, timeoutMs: record.timeoutMs, after: record.after, afterAny: record.afterAny ?? [],
    waitingFor: waiting, tags: record.tags ?? [], minRamBytes: record.minRamBytes, maxNodes: record.maxNodes, license: record.license,
    startAt: record.startAt === undefined ? undefined : new Date(record.startAt).toISOString(), failedEarly: Boolean(record.failedEarly), preview: latestPreview(previews)?.path ?? null, chunkList,
  };
}
