// Submitting a job: build its whole folder under tmp/, rename it into jobs/ (a job appears whole or
// not at all), then add its active/ entry, which is what nodes watch for.
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { JOB_SUBDIRS } from '../spool/layout.js';
import { serialize, FORMAT_VERSION, type ChunkRecord, type JobRecord } from '../spool/records.js';
import { MAX_INFO_FILE_BYTES, writeFileAtomic } from '../spool/atomic.js';
import { UsageError } from '../errors.js';
import { chunkId, formatFrameSpec, splitIntoChunks } from '../frames/index.js';
import type { FarmContext } from '../claim/context.js';
import { snapshotHooks } from '../hooks/discover.js';
import { activeEntryName } from './active.js';
import { inBatches, syncDir, syncTree, writeFileDurable } from './durable.js';
import { newJobId } from './ids.js';

export type JobSpec = Omit<JobRecord, 'v' | 'id' | 'chunks' | 'createdAt' | 'frames'> & {
  frames: number[];
  /** Hook folder to snapshot into the job. */
  hooksDir: string;
};

export interface Submitted {
  id: string;
  name: string;
  chunks: number;
  frames: number;
}

/**
 * Room a chunk file keeps for what its attempts add (history, progress, errors): its frames may take the
 * rest of the cap an info file has (MAX_INFO_FILE_BYTES). A chunk written bigger was quarantined at its
 * first claim; it is refused here instead, where the user can still choose a smaller --chunk.
 */
const CHUNK_GROWTH_BYTES = 256 * 1024;

function refuseOversizedChunks(groups: number[][], chunkSize: number): void {
  const largest = Math.max(0, ...groups.map((g) => JSON.stringify(g).length));
  if (largest <= MAX_INFO_FILE_BYTES - CHUNK_GROWTH_BYTES) return;
  const perFrame = largest / Math.max(...groups.map((g) => g.length));
  const fits = Math.floor((MAX_INFO_FILE_BYTES - CHUNK_GROWTH_BYTES) / perFrame);
  throw new UsageError(`--chunk ${chunkSize}: a chunk's info file would hold ${(largest / 1048576).toFixed(1)} MiB of frame numbers, more than a spool file may (1 MiB with room for its attempts); use --chunk ${fits} or less`);
}

/** `chunkFrames`: the chunks' frames when they are not the job's frames split by --chunk (a tiled still: one per tile). */
export async function submitJob(ctx: FarmContext, spec: JobSpec, nowMs = Date.now(), chunkFrames?: number[][]): Promise<Submitted> {
  const id = newJobId(nowMs);
  const groups = chunkFrames ?? splitIntoChunks(spec.frames, spec.chunkSize);
  refuseOversizedChunks(groups, spec.chunkSize);
  const { hooksDir, frames, ...rest } = spec;
  const job: JobRecord = { v: FORMAT_VERSION, id, ...rest, frames: formatFrameSpec(frames), chunks: groups.length, createdAt: new Date(nowMs).toISOString() };

  const staging = path.join(ctx.layout.tmp, `job-${id}-${randomBytes(3).toString('hex')}`);
  try {
    await fs.mkdir(staging);
    await Promise.all(JOB_SUBDIRS.map((dir) => fs.mkdir(path.join(staging, dir))));
    await snapshotHooks(hooksDir, path.join(staging, 'hooks'));
    await writeChunkFiles(staging, id, groups);
    await writeFileAtomic(path.join(staging, 'job.json'), serialize(job));
    // on disk before it is renamed in: after a crash the job is there whole, or not at all
    await syncTree(path.join(staging, 'hooks'));
    await inBatches([...JOB_SUBDIRS.map((dir) => path.join(staging, dir)), staging], syncDir);
    await fs.rename(staging, ctx.layout.jobDir(id));
    await syncDir(ctx.layout.jobs);
  } catch (error) {
    await fs.rm(staging, { recursive: true, force: true });
    throw error;
  }
  await fs.writeFile(path.join(ctx.layout.active, activeEntryName(id, job.priority, job.paused)), '');
  await syncDir(ctx.layout.active);
  return { id, name: job.name, chunks: groups.length, frames: frames.length };
}

async function writeChunkFiles(staging: string, job: string, groups: number[][]): Promise<void> {
  const queued = path.join(staging, 'queued');
  // bounded parallelism: thousands of small writes, without thousands of open files at once
  await inBatches(groups.map((frames, index) => newChunkRecord(job, chunkId(index, groups.length), frames)),
    (record) => writeFileDurable(path.join(queued, `${record.id}.json`), serialize(record)));
}

export function newChunkRecord(job: string, id: string, frames: number[]): ChunkRecord {
  return { v: FORMAT_VERSION, job, id, frames, state: 'queued', rev: 0, attempt: 0, failures: 0, history: [] };
}
