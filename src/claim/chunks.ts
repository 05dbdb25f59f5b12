// Reading and moving chunk info files. A chunk's directory is its state; a transition moves the file
// (one atomic rename) and then rewrites it (temp + fsync + rename). A crash between the two leaves the
// chunk in its new directory with its old content — never two copies — and the next lock holder repairs it.
import fsSync from 'node:fs';
import path from 'node:path';
import { CHUNK_STATES, type ChunkState } from '../spool/layout.js';
import { isMissing, readInfoFile, writeAndRename, tempName } from '../spool/atomic.js';
import { parseChunkRecord, parseJobRecord, serialize, FORMAT_VERSION, type ChunkRecord } from '../spool/records.js';
import { chunkId, parseFrameSpec, splitIntoChunks } from '../frames/index.js';
import { quarantineFile } from '../spool/quarantine.js';
import { SpoolFormatError } from '../errors.js';
import type { FarmContext } from './context.js';
import type { HeldLock } from './mutex.js';

export type ReadResult = { ok: true; record: ChunkRecord } | { ok: false; reason: 'missing' | 'corrupt' };

/** Reads the chunk at `state`; a corrupt file is quarantined and reported as such. */
export async function readChunk(ctx: FarmContext, job: string, state: ChunkState, chunk: string): Promise<ReadResult> {
  const file = ctx.layout.chunkFile(job, state, chunk);
  try {
    const record = parseChunkRecord(await readInfoFile(file), file);
    if (record.job !== job || record.id !== chunk) throw new SpoolFormatError(file, `names chunk ${record.job}/${record.id}, not ${job}/${chunk}`);
    // the directory is the truth: content from before an interrupted move says otherwise
    return { ok: true, record: record.state === state ? record : { ...record, state } };
  } catch (error) {
    if (isMissing(error)) return { ok: false, reason: 'missing' };
    if (error instanceof SpoolFormatError) {
      const moved = await quarantineFile(ctx.layout, file, error.message, ctx.log);
      if (moved) await replaceWithStandIn(ctx, job, chunk, `its info file was corrupt (${error.message}); moved to ${path.relative(ctx.layout.root, moved)}`);
      return { ok: false, reason: 'corrupt' };
    }
    throw error;
  }
}

/**
 * A quarantined chunk must not vanish from its job (the job would pass as done without it): it comes
 * back as failed, its frames rebuilt from the job's spec, so `render retry` can run it again.
 */
async function replaceWithStandIn(ctx: FarmContext, job: string, chunk: string, why: string): Promise<void> {
  try {
    const record = parseJobRecord(await readInfoFile(ctx.layout.jobFile(job)), ctx.layout.jobFile(job));
    const frames = splitIntoChunks(parseFrameSpec(record.frames), record.chunkSize)[Number(chunk) - 1];
    if (!frames || chunkId(Number(chunk) - 1, record.chunks) !== chunk) return;
    const standIn: ChunkRecord = { v: FORMAT_VERSION, job, id: chunk, frames, state: 'failed', rev: 0, attempt: 0, failures: 0, error: why, history: [] };
    await createChunkFile(ctx.layout.jobDir(job), ctx.layout.jobTmp(job), standIn);
    ctx.log(`chunk ${job}/${chunk}: marked failed in place of its corrupt info file (render retry ${job} runs it again)`);
  } catch (error) {
    ctx.log(`chunk ${job}/${chunk}: could not rebuild it after quarantine: ${(error as Error).message}`);
  }
}

/** Finds a chunk in whichever state directory holds it. */
export async function locateChunk(ctx: FarmContext, job: string, chunk: string, hint?: ChunkState): Promise<ReadResult> {
  const order = hint ? [hint, ...CHUNK_STATES.filter((s) => s !== hint)] : CHUNK_STATES;
  let sawCorrupt = false;
  for (const state of order) {
    const result = await readChunk(ctx, job, state, chunk);
    if (result.ok) return result;
    if (result.reason === 'corrupt') sawCorrupt = true;
  }
  return { ok: false, reason: sawCorrupt ? 'corrupt' : 'missing' };
}

export type WriteResult = { ok: true } | { ok: false; reason: 'lock-lost' };

/** Moves and rewrites a chunk under its lock; refuses if the lock was broken meanwhile. */
export async function commitChunk(ctx: FarmContext, lock: HeldLock, from: ChunkState, next: ChunkRecord): Promise<WriteResult> {
  if (!(await lock.stillHeld())) return { ok: false, reason: 'lock-lost' };
  const target = ctx.layout.chunkFile(next.job, next.state, next.id);
  if (from !== next.state) fsSync.renameSync(ctx.layout.chunkFile(next.job, from, next.id), target);
  const tmp = path.join(ctx.layout.jobTmp(next.job), path.basename(tempName(target)));
  await writeAndRename(tmp, target, serialize(next));
  return { ok: true };
}

/** Writes a brand-new chunk file (submission, or a stand-in for a quarantined one). */
export async function createChunkFile(dir: string, tmpDir: string, record: ChunkRecord): Promise<void> {
  const target = path.join(dir, record.state, `${record.id}.json`);
  await writeAndRename(path.join(tmpDir, path.basename(tempName(target))), target, serialize(record));
}
