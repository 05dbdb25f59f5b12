// What `render list`, `render show` and the ui say about a job.
import type { FarmContext } from '../claim/context.js';
import type { ChunkRecord, JobRecord } from '../spool/records.js';
import { AmbiguousError } from './errors.js';
import { NotFoundError } from '../errors.js';
import { countChunks, listJobIds, readChunks, readJob, type ChunkCounts } from './read.js';
import { deriveJobState, type JobState } from './state.js';

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
}

export function summarize(record: JobRecord, counts: ChunkCounts): JobSummary {
  return {
    id: record.id,
    name: record.name,
    owner: record.owner,
    kind: record.kind,
    state: deriveJobState(counts, record),
    priority: record.priority,
    paused: record.paused,
    pool: record.pool,
    frames: record.frames,
    file: record.file,
    createdAt: record.createdAt,
    chunks: counts,
  };
}

export async function summarizeJob(ctx: FarmContext, record: JobRecord): Promise<JobSummary> {
  return summarize(record, await countChunks(ctx, record.id));
}

/** A job's summary by id, or null once it has been removed (callers decide what that means). */
export async function summarizeJobById(ctx: FarmContext, id: string): Promise<JobSummary | null> {
  const record = await readJob(ctx, id);
  return record ? summarizeJob(ctx, record) : null;
}

/** Every job on the spool, oldest first. Reads each job.json and lists its state folders, no chunk files. */
export async function listJobSummaries(ctx: FarmContext): Promise<JobSummary[]> {
  const ids = await listJobIds(ctx);
  const summaries: JobSummary[] = [];
  const BATCH = 32;
  for (let i = 0; i < ids.length; i += BATCH) {
    const batch = await Promise.all(ids.slice(i, i + BATCH).map(async (id) => {
      const record = await readJob(ctx, id);
      return record ? summarizeJob(ctx, record) : null;
    }));
    for (const summary of batch) if (summary) summaries.push(summary);
  }
  return summaries;
}

/** A job named by id, unique id prefix, or name (the newest job of that name). */
export async function resolveJobRef(ctx: FarmContext, ref: string): Promise<JobRecord> {
  const ids = await listJobIds(ctx);
  if (ids.includes(ref)) {
    const record = await readJob(ctx, ref);
    if (record) return record;
  }
  const byPrefix = ids.filter((id) => id.startsWith(ref));
  if (byPrefix.length === 1) {
    const record = await readJob(ctx, byPrefix[0]);
    if (record) return record;
  }
  if (byPrefix.length > 1) throw new AmbiguousError(`job '${ref}' is ambiguous: ${byPrefix.slice(0, 5).join(', ')}${byPrefix.length > 5 ? ', …' : ''}`);
  const records = (await Promise.all(ids.map((id) => readJob(ctx, id)))).filter((r): r is JobRecord => r !== null && r.name === ref);
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
