// Reading and moving chunk info files. A chunk's directory is its state; a transition first replaces the
// file where it is with its final content (temp + fsync + rename), then moves it (one atomic rename). A
// crash between the two leaves the chunk in its old directory with its new content — never two copies —
// and the directory stays the truth: the next lock holder treats it as in its old state.
// A claim is the move alone: the running file's name carries the claim (spool/running-names.ts), and its
// content stays the queued record until its holder has something to add (progress) or the attempt ends.
import fsSync from 'node:fs';
import path from 'node:path';
import { CHUNK_STATES, type ChunkState } from '../spool/layout.js';
import { isMissing, listNames, readInfo, readInfoFile, writeAndRename, writeTemp, tempName } from '../spool/atomic.js';
import { chunkIdOf, parseRunningName, runningFileName } from '../spool/running-names.js';
import { claimedBy, claimOf } from './transitions.js';
import { parseChunkRecord, parseJobRecord, serialize, FORMAT_VERSION, type ChunkRecord } from '../spool/records.js';
import { chunkId, parseFrameSpec, splitIntoChunks } from '../frames/index.js';
import { quarantineFile } from '../spool/quarantine.js';
import { SpoolFormatError } from '../errors.js';
import type { FarmContext } from './context.js';
import type { HeldLock } from './mutex.js';

/** `file`: where the chunk was read, for the move that records its next state. */
export type ReadResult = { ok: true; record: ChunkRecord; file: string } | { ok: false; reason: 'missing' | 'corrupt' };

/** Reads the chunk at `state`; a corrupt file is quarantined and reported as such. */
export async function readChunk(ctx: FarmContext, job: string, state: ChunkState, chunk: string): Promise<ReadResult> {
  if (state !== 'running') return readChunkFile(ctx, job, state, chunk, ctx.layout.chunkFile(job, state, chunk));
  // running/ holds only the chunks running now: a listing finds the name that carries the claim
  const name = (await listNames(ctx.layout.stateDir(job, 'running'))).find((n) => chunkIdOf(n) === chunk);
  return name ? readChunkEntry(ctx, job, 'running', name) : { ok: false, reason: 'missing' };
}

/** Reads the chunk file `name` (as listed) in `state`; a running chunk's claim comes from its name. */
export async function readChunkEntry(ctx: FarmContext, job: string, state: ChunkState, name: string): Promise<ReadResult> {
  const file = path.join(ctx.layout.stateDir(job, state), name);
  const parsed = parseRunningName(name);
  if (!parsed) return { ok: false, reason: 'missing' };
  if (state !== 'running' || !parsed.claim) return readChunkFile(ctx, job, state, parsed.chunk, file);
  const { claim } = parsed;
  return readChunkFile(ctx, job, state, parsed.chunk, file, (record, changedMs) => claimedBy(record, claim, new Date(changedMs).toISOString()));
}

/** The file of the running chunk claimed by `record` (which carries the claim's holder and token). */
export function runningFile(ctx: Pick<FarmContext, 'layout'>, record: ChunkRecord): string {
  return path.join(ctx.layout.stateDir(record.job, 'running'), runningFileName(record.id, claimOf(record)));
}

type Claimed = (record: ChunkRecord, changedMs: number) => ChunkRecord;

async function readChunkFile(ctx: FarmContext, job: string, state: ChunkState, chunk: string, file: string, claimed?: Claimed): Promise<ReadResult> {
  try {
    const { text, changedMs } = readInfo(file);
    const record = parseChunkRecord(text, file);
    if (record.job !== job || record.id !== chunk) throw new SpoolFormatError(file, `names chunk ${record.job}/${record.id}, not ${job}/${chunk}`);
    // the directory is the truth: content from before an interrupted move says otherwise
    const inPlace = record.state === state ? record : { ...record, state };
    // a claimed chunk's content may predate its claim: the name says who holds it (moved in at `changedMs`)
    return { ok: true, record: claimed ? claimed(inPlace, changedMs) : inPlace, file };
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

/** `taken`: the chunk was moved away under us (another node claimed it; a stale lookup lost the race). */
export type WriteResult = { ok: true } | { ok: false; reason: 'lock-lost' | 'taken' };

/**
 * Records `next` under the chunk's lock, refused if the lock was broken meanwhile. A change of state is one
 * rename of a file that already holds the final content: the content replaces the file where it was read
 * (still in its old folder, under its old name), then that file moves. Nothing is written by path after
 * the move, so a transition that raced ours (a retry, a claim) can never be undone or doubled by it.
 */
export async function commitChunk(ctx: FarmContext, lock: HeldLock, from: string, next: ChunkRecord): Promise<WriteResult> {
  if (!(await lock.stillHeld())) return { ok: false, reason: 'lock-lost' };
  const target = next.state === 'running' ? runningFile(ctx, next) : ctx.layout.chunkFile(next.job, next.state, next.id);
  const tmp = path.join(ctx.layout.jobTmp(next.job), path.basename(tempName(target)));
  await writeTemp(tmp, serialize(next));
  // checked again after the slow part (write, fsync): the rename that follows must not bring back a file
  // that another lock holder moved away meanwhile
  if (!(await lock.stillHeld()) || !fsSync.existsSync(from)) {
    fsSync.rmSync(tmp, { force: true });
    return { ok: false, reason: 'lock-lost' };
  }
  try {
    fsSync.renameSync(tmp, from);
  } catch (error) {
    fsSync.rmSync(tmp, { force: true });
    throw error;
  }
  if (from === target) return { ok: true };
  try {
    fsSync.renameSync(from, target);
  } catch (error) {
    if (isGoneSource(error)) return { ok: false, reason: 'taken' };
    throw error;
  }
  return { ok: true };
}

/**
 * Claims a queued chunk (read at `from`) for `next`'s holder under its lock: one rename into running/,
 * to the name that carries the claim. No rewrite: readers take holder and token from the name.
 */
export async function moveToRunning(ctx: FarmContext, lock: HeldLock, from: string, next: ChunkRecord): Promise<WriteResult> {
  if (!(await lock.stillHeld())) return { ok: false, reason: 'lock-lost' };
  const target = runningFile(ctx, next);
  try {
    fsSync.renameSync(from, target);
  } catch (error) {
    if (!isGoneSource(error)) throw error;
    // an NFS rename retransmitted after its reply was lost answers ENOENT: the name is ours alone, look for it
    if (fsSync.existsSync(target)) return { ok: true };
    // a stale lookup (GlusterFS, NFS) of a chunk another node took meanwhile: a lost race, never fatal
    return { ok: false, reason: 'taken' };
  }
  return { ok: true };
}

/** The source of a rename is gone (or its handle is stale): someone else moved it. */
function isGoneSource(error: unknown): boolean {
  return isMissing(error) || (error as NodeJS.ErrnoException)?.code === 'ESTALE';
}

/** Writes a brand-new chunk file (submission, or a stand-in for a quarantined one). */
export async function createChunkFile(dir: string, tmpDir: string, record: ChunkRecord): Promise<void> {
  const target = path.join(dir, record.state, `${record.id}.json`);
  await writeAndRename(path.join(tmpDir, path.basename(tempName(target))), target, serialize(record));
}
