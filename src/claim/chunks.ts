// Reading and moving chunk info files. A chunk's directory is its state; a transition moves the file
// (one atomic rename) and then rewrites it (temp + fsync + rename). A crash between the two leaves the
// chunk in its new directory with its old content — never two copies — and the next lock holder repairs it.
import fs from 'node:fs/promises';
import path from 'node:path';
import { CHUNK_STATES, type ChunkState } from '../spool/layout.js';
import { isMissing, readInfoFile, writeAndRename, tempName } from '../spool/atomic.js';
import { parseChunkRecord, serialize, type ChunkRecord } from '../spool/records.js';
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
      await quarantineFile(ctx.layout, file, error.message, ctx.log);
      return { ok: false, reason: 'corrupt' };
    }
    throw error;
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
  if (from !== next.state) await fs.rename(ctx.layout.chunkFile(next.job, from, next.id), target);
  const tmp = path.join(ctx.layout.jobTmp(next.job), path.basename(tempName(target)));
  await writeAndRename(tmp, target, serialize(next));
  return { ok: true };
}

/** Writes a brand-new chunk file (submission, or a stand-in for a quarantined one). */
export async function createChunkFile(dir: string, tmpDir: string, record: ChunkRecord): Promise<void> {
  const target = path.join(dir, record.state, `${record.id}.json`);
  await writeAndRename(path.join(tmpDir, path.basename(tempName(target))), target, serialize(record));
}
