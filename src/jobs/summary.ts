// What `render list`, `render show` and the ui say about a job.
import type { FarmContext } from '../claim/context.js';
import type { ChunkRecord, JobRecord } from '../spool/records.js';
import { AmbiguousError } from './errors.js';
import { NotFoundError } from '../errors.js';
import { countChunks, listJobIds, readChunks, readJob, type ChunkCounts } from './read.js';
import { deriveJobState, type JobState } from './state.js';
import { BrokenJobError, describeJobError } from './broken.js';
import { readBrokenMarks } from '../spool/broken-marks.js';
import fsSync from 'node:fs';

export interface JobSummary {
  id: string;
  name: string;
  owner: string;
  kind: JobRecord['kind'];
  state: JobState;
  priority: number;
  paused: boolean;
  pool?: string;
  frames: string;
  /** The .blend (or input file) of the job: the Blender add-on lists the open file's jobs by it. */
  file?: string;
  createdAt: string;
  chunks: ChunkCounts;
  /** Why the job is `broken`, failed without running its chunks, or waits for a node that can run it. */
  reason?: string;
  /** Jobs submitted together (`--each-view-layer`, `--each-camera`, `--tiles`): `render wait GROUP` waits for all. */
  group?: string;
}

/** Why no live node can run a job (its Blender, pool, tags…), or null: given by callers that read the nodes. */
export type CannotRun = (record: JobRecord) => string | null;

export function summarize(record: JobRecord, counts: ChunkCounts, brokenOnNodes?: string[], cannotRun?: CannotRun): JobSummary {
  const state = deriveJobState(counts, record);
  // nodes that cannot read a job say so; it matters while the job waits for them, not once it runs or ended
  const broken = state === 'queued' && brokenOnNodes?.length ? brokenOnNodes.join('; ') : undefined;
  const stranded = state === 'queued' && !broken && !record.paused ? cannotRun?.(record) ?? undefined : undefined;
  return {
    id: record.id,
    name: record.name,
    owner: record.owner,
    kind: record.kind,
    state: broken ? 'broken' : state,
    priority: record.priority,
    paused: record.paused,
    pool: record.pool,
    frames: record.frames,
    file: record.file,
    createdAt: record.createdAt,
    chunks: counts,
    ...(record.group !== undefined ? { group: record.group } : {}),
    reason: broken ?? stranded ?? (state === 'failed' && record.failedEarly ? record.failedReason ?? 'too many failed chunks (--max-failed)' : undefined),
  };
}

export async function summarizeJob(ctx: FarmContext, record: JobRecord, marks?: Map<string, string[]>, cannotRun?: CannotRun): Promise<JobSummary> {
  marks ??= await readBrokenMarks(ctx.layout);
  return summarize(record, await countChunks(ctx, record.id), marks.get(record.id), cannotRun);
}

/** What a job that cannot be read shows: its id, `broken` and why. */
export function brokenSummary(id: string, reason: string): JobSummary {
  return {
    id, name: '?', owner: '?', kind: 'exec', state: 'broken', priority: 0, paused: false, frames: '', createdAt: '',
    chunks: { queued: 0, running: 0, done: 0, failed: 0, total: 0 }, reason,
  };
}

/**
 * A job's summary by id; a job that cannot be read is `broken` with the reason; null once it has been
 * removed (callers decide what that means).
 */
export async function summarizeJobById(ctx: FarmContext, id: string, marks?: Map<string, string[]>, cannotRun?: CannotRun): Promise<JobSummary | null> {
  let record: JobRecord | null;
  try {
    record = await readJob(ctx, id);
    if (record) return await summarizeJob(ctx, record, marks, cannotRun);
  } catch (error) {
    return brokenSummary(id, describeJobError(error));
  }
  // its folder without a job.json: moved to quarantine/, or never written
  return fsSync.existsSync(ctx.layout.jobDir(id)) ? brokenSummary(id, 'job.json is missing (see quarantine/)') : null;
}

/** Every job on the spool, oldest first. Reads each job.json and lists its state folders, no chunk files. */
export async function listJobSummaries(ctx: FarmContext, cannotRun?: CannotRun): Promise<JobSummary[]> {
  const ids = await listJobIds(ctx);
  const marks = await readBrokenMarks(ctx.layout);
  const summaries: JobSummary[] = [];
  const BATCH = 32;
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = await Promise.all(ids.slice(i, i + BATCH).map((id) => summarizeJobById(ctx, id, marks, cannotRun)));
    for (const summary of batch) if (summary) summaries.push(summary);
  }
  return summaries;
}

/**
 * Jobs a ref names for `render wait`: an id or id prefix first, then every job of a group of that
 * name (`--each-view-layer`, `--each-camera`, `--tiles`), else the newest job of that name.
 */
export async function resolveJobOrGroup(ctx: FarmContext, ref: string): Promise<string[]> {
  const ids = await listJobIds(ctx);
  if (!ids.some((id) => id.startsWith(ref))) {
    const records = await Promise.all(ids.map((id) => readJob(ctx, id).catch(() => null)));
    const members = records.filter((r): r is JobRecord => r?.group === ref).map((r) => r.id);
    if (members.length > 0) return members;
  }
  return [(await resolveJobRef(ctx, ref)).id];
}

/** A job named by id, unique id prefix, or name (the newest job of that name). */
export async function resolveJobRef(ctx: FarmContext, ref: string): Promise<JobRecord> {
  const ids = await listJobIds(ctx);
  const byPrefix = ids.includes(ref) ? [ref] : ids.filter((id) => id.startsWith(ref));
  if (byPrefix.length === 1) {
    const id = byPrefix[0];
    const record = await readJob(ctx, id).catch((error) => { throw new BrokenJobError(id, describeJobError(error)); });
    if (record) return record;
    if (fsSync.existsSync(ctx.layout.jobDir(id))) throw new BrokenJobError(id, 'job.json is missing (see quarantine/)');
  }
  if (byPrefix.length > 1) throw new AmbiguousError(`job '${ref}' is ambiguous: ${byPrefix.slice(0, 5).join(', ')}${byPrefix.length > 5 ? ', …' : ''}`);
  // a job that cannot be read has no name we could match: it is not the one asked for
  const records = (await Promise.all(ids.map((id) => readJob(ctx, id).catch(() => null)))).filter((r): r is JobRecord => r !== null && r.name === ref);
  if (records.length > 0) return records[records.length - 1];
  throw new NotFoundError(`no job '${ref}' on spool ${ctx.layout.root}`);
}

export interface ChunkSummary {
  id: string;
  frames: number[];
  state: ChunkRecord['state'];
  attempt: number;
  failures: number;
  node?: string;
  startedAt?: string;
  endedAt?: string;
  error?: string;
  progress?: ChunkRecord['progress'];
}

export function summarizeChunk(record: ChunkRecord): ChunkSummary {
  return {
    id: record.id,
    frames: record.frames,
    state: record.state,
    attempt: record.attempt,
    failures: record.failures,
    node: record.holder?.node ?? record.history[record.history.length - 1]?.node,
    startedAt: record.startedAt,
    endedAt: record.endedAt,
    error: record.error,
    progress: record.progress,
  };
}

export async function chunkSummaries(ctx: FarmContext, job: string): Promise<ChunkSummary[]> {
  return (await readChunks(ctx, job)).map(summarizeChunk);
}
