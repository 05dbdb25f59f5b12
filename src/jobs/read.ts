// Reading jobs from the spool: their records, chunk counts by state (readdirs, no file reads), chunks.
import { CHUNK_STATES, type ChunkState } from '../spool/layout.js';
import { isMissing, listNames, readInfoFile } from '../spool/atomic.js';
import { parseJobRecord, type ChunkRecord, type JobRecord } from '../spool/records.js';
import { SpoolFormatError } from '../errors.js';
import type { FarmContext } from '../claim/context.js';
import { readChunkEntry } from '../claim/chunks.js';
import { chunkIdOf } from '../spool/running-names.js';

export type ChunkCounts = Record<ChunkState, number> & { total: number };

/**
 * The job's record, or null if it is gone (removed). One that cannot be read throws, and stays where it
 * is: moved to quarantine/ it read as removed for ever (renders stopped, dependants failed), where a read
 * that failed once (a filer coming back) or a file put right by hand must make the job whole again.
 */
export async function readJob(ctx: Pick<FarmContext, 'layout' | 'log'>, job: string): Promise<JobRecord | null> {
  const file = ctx.layout.jobFile(job);
  try {
    const record = parseJobRecord(await readInfoFile(file), file);
    if (record.id !== job) throw new SpoolFormatError(file, `names job ${record.id}, not ${job}`);
    return record;
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

export async function listJobIds(ctx: Pick<FarmContext, 'layout'>): Promise<string[]> {
  return (await listNames(ctx.layout.jobs)).filter((name) => !name.startsWith('.')).sort();
}

/** The ids of the chunks in `state` (a running chunk's file name also carries its claim). */
export async function chunkNames(ctx: Pick<FarmContext, 'layout'>, job: string, state: ChunkState): Promise<string[]> {
  return (await chunkEntries(ctx, job, state)).map(chunkIdOf) as string[];
}

/** The chunk file names in `state`, as listed. */
export async function chunkEntries(ctx: Pick<FarmContext, 'layout'>, job: string, state: ChunkState): Promise<string[]> {
  return (await listNames(ctx.layout.stateDir(job, state))).filter((name) => chunkIdOf(name) !== null);
}

/** Counts by state from directory listings alone: `render list` over 100,000 chunks reads no chunk file. */
export async function countChunks(ctx: Pick<FarmContext, 'layout'>, job: string): Promise<ChunkCounts> {
  const lists = await Promise.all(CHUNK_STATES.map((state) => chunkNames(ctx, job, state)));
  // a chunk caught mid-move can show in two listings: count it once
  const seen = new Set<string>();
  const counts = { queued: 0, running: 0, done: 0, failed: 0, total: 0 } as ChunkCounts;
  CHUNK_STATES.forEach((state, i) => {
    for (const name of lists[i]) {
      if (seen.has(name)) continue;
      seen.add(name);
      counts[state]++;
      counts.total++;
    }
  });
  return counts;
}

/** Every chunk of a job, in chunk order. */
export async function readChunks(ctx: FarmContext, job: string): Promise<ChunkRecord[]> {
  const byId = new Map<string, ChunkRecord>();
  for (const state of CHUNK_STATES) {
    const names = await chunkEntries(ctx, job, state);
    const results = await Promise.all(names.map((name) => readChunkEntry(ctx, job, state, name)));
    for (const result of results) {
      if (result.ok && !byId.has(result.record.id)) byId.set(result.record.id, result.record);
    }
  }
  return [...byId.values()].sort((a, b) => (a.id < b.id ? -1 : 1));
}
