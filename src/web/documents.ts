// What GET /api/… serves: the very documents `render list|show|nodes --json` print (the same
// functions build them), and a chunk's log as `render log` prints one attempt of it.
import type { FarmContext } from '../claim/context.js';
import { listDocument, nodesDocument, orderLogs, showDocument } from '../documents/index.js';
import { BrokenJobError } from '../jobs/broken.js';
import { brokenSummary, resolveJobRef } from '../jobs/summary.js';
import { readNodeRecords } from '../nodes/registry.js';
import { resolveJobFilter, type RawListFilter } from '../reports/job-filter.js';
import { listNames } from '../spool/atomic.js';
import { UsageError, NotFoundError } from '../errors.js';
import { readSpoolFile, type SliceResult } from './files.js';

/** A log response carries at most this much (its end); `?from=` pages on while it grows. */
export const LOG_MAX_BYTES = 1024 * 1024;
const LIST_PARAMS = ['state', 'owner', 'name', 'node', 'since'] as const;

/** `render list`'s options as query parameters: ?state=running,queued&owner=ann&name=shot_*. */
export function listFilterFrom(query: URLSearchParams): RawListFilter {
  const raw: RawListFilter = {};
  for (const key of query.keys()) if (!(LIST_PARAMS as readonly string[]).includes(key)) throw new UsageError(`unknown parameter '${key}' (${LIST_PARAMS.join(', ')})`);
  for (const key of LIST_PARAMS) { const value = query.get(key); if (value !== null) raw[key] = value; }
  return raw;
}

export async function jobsDocument(ctx: FarmContext, query: URLSearchParams, nowMs: number) {
  return listDocument(ctx, resolveJobFilter(listFilterFrom(query), nowMs));
}

export async function jobDocument(ctx: FarmContext, ref: string) {
  try {
    return await showDocument(ctx, await resolveJobRef(ctx, ref));
  } catch (error) {
    // as `render show --json`: a job that cannot be read is shown broken, with why
    if (error instanceof BrokenJobError) return brokenSummary(error.job, error.reason);
    throw error;
  }
}

export async function nodesListDocument(ctx: FarmContext) {
  const nodes = [...(await readNodeRecords(ctx.layout, ctx.log)).values()].sort((a, b) => a.name.localeCompare(b.name));
  return nodesDocument(nodes);
}

export interface LogRead { attempt: number; result: SliceResult }

/** The log of one attempt of a chunk (the latest unless ?attempt=N), from byte ?from=N, its end at most. */
export async function readChunkLog(ctx: FarmContext, ref: string, chunk: string, query: URLSearchParams): Promise<LogRead> {
  const job = await resolveJobRef(ctx, ref);
  const files = orderLogs(await listNames(ctx.layout.logsDir(job.id)), chunk);
  const wanted = wholeParam(query, 'attempt');
  const file = wanted === undefined ? files[files.length - 1] : files.find((f) => f.attempt === wanted);
  if (!file) throw new NotFoundError(`job ${job.id} has no log for chunk ${chunk}${wanted === undefined ? '' : ` attempt ${wanted}`} yet`);
  return { attempt: file.attempt, result: readSpoolFile(`${ctx.layout.logsDir(job.id)}/${file.name}`, wholeParam(query, 'from') ?? 0, LOG_MAX_BYTES) };
}

function wholeParam(query: URLSearchParams, name: string): number | undefined {
  const raw = query.get(name);
  if (raw === null) return undefined;
  if (!/^\d{1,15}$/.test(raw)) throw new UsageError(`${name} must be a whole number, got '${raw.slice(0, 40)}'`);
  return Number(raw);
}
