// The claim protocol. Every transition happens under the chunk's mutex, which the holder keeps from claim
// to end (one lock cycle per chunk); the claim's token, in the running file's name, fences late results:
// a holder whose claim's name is no longer in running/ records nothing (invariant 2).
import { randomHex } from '../spool/nonce.js';
import type { ChunkRecord, Holder, JobRecord } from '../spool/records.js';
import type { ChunkState } from '../spool/layout.js';
import type { FarmContext } from './context.js';
import { commitChunk, moveToRunning, readChunk, readChunkEntry } from './chunks.js';
import { runningFileName, type Claim } from '../spool/running-names.js';
import { attemptEnded, claimed, type AttemptEnd } from './transitions.js';
import { acquireLicense, releaseLicense } from '../licenses/index.js';
import type { HeldLock, LockResult } from './mutex.js';

export type ClaimResult =
  /** `lock`: the chunk's lock, kept until the attempt ends (pass it to endAttempt). */
  | { ok: true; record: ChunkRecord; lock: HeldLock }
  | { ok: false; reason: 'locked' | 'taken' | 'corrupt' | 'lock-lost' | 'no-license' }
  /** A failed chunk waiting out its retry delay, until `retryAfter` (ms, wall clock). */
  | { ok: false; reason: 'not-yet'; retryAfter: number };

export interface ClaimOptions {
  /** Licence the job's chunks hold while they run. */
  license?: string;
  /** This node's wall clock, for retry delays (a coarse wait, not a liveness judgement). */
  nowMs?: number;
}

export async function tryClaim(ctx: FarmContext, job: string, chunk: string, holder: Holder, options: ClaimOptions = {}): Promise<ClaimResult> {
  const locked = await ctx.locks.tryLock(ctx.layout.chunkLock(job, chunk));
  if (!locked.ok) return { ok: false, reason: locked.reason === 'gone' ? 'taken' : 'locked' };
  let licensed = false;
  let kept = false;
  const token = randomHex(8);
  try {
    const read = await readChunk(ctx, job, 'queued', chunk);
    if (!read.ok) return { ok: false, reason: read.reason === 'corrupt' ? 'corrupt' : 'taken' };
    const { retryAfter } = read.record;
    if (retryAfter && retryAfter > (options.nowMs ?? Date.now())) return { ok: false, reason: 'not-yet', retryAfter };
    if (options.license) {
      licensed = await acquireLicense(ctx, options.license, job, chunk, token);
      if (!licensed) return { ok: false, reason: 'no-license' };
    }
    const next = claimed(read.record, holder, token, ctx.clock.wallIso());
    const written = await moveToRunning(ctx, locked.lock, read.file, next);
    if (!written.ok) return written;
    // the licence and the lock are kept: released when the attempt ends
    licensed = false;
    kept = true;
    return { ok: true, record: next, lock: locked.lock };
  } finally {
    if (licensed && options.license) await releaseLicense(ctx, options.license, job, chunk, token);
    if (!kept) await locked.lock.release();
  }
}

export type EndResult = { ok: true; record: ChunkRecord } | { ok: false; reason: 'fenced' | 'gone' | 'busy' | 'lock-lost' };

export interface EndOptions {
  retries: number;
  retryDelayMs?: number;
  license?: string;
  nowMs?: number;
  /** The lock the holder kept since its claim; without it (or once broken) the lock is taken anew. */
  held?: HeldLock;
}

/** What ending an attempt needs to know of its job; a job already gone needs nothing. */
export function endOptionsFor(job: Pick<JobRecord, 'retries' | 'retryDelayMs' | 'license'> | null): EndOptions {
  return job ? { retries: job.retries, retryDelayMs: job.retryDelayMs, license: job.license } : { retries: 0 };
}

/**
 * Records the end of an attempt — by its holder (done, failed, stopped) or by a node that judged the holder
 * dead (lost). Refused unless the chunk is still running under `claim`.
 */
export async function endAttempt(ctx: FarmContext, job: string, chunk: string, claim: Claim, end: AttemptEnd, options: EndOptions): Promise<EndResult> {
  const locked = await relock(ctx, job, chunk, options.held);
  if (!locked.ok) return { ok: false, reason: locked.reason === 'gone' ? 'gone' : 'busy' };
  try {
    // the fence: the file named for this claim, gone once the attempt ended or was taken back
    const read = await readChunkEntry(ctx, job, 'running', runningFileName(chunk, claim));
    if (!read.ok) return { ok: false, reason: read.reason === 'missing' ? 'fenced' : 'gone' };
    let next = attemptEnded(read.record, end, options.retries, ctx.clock.wallIso());
    if (next.state === 'queued' && end.outcome === 'failed' && options.retryDelayMs) {
      next = { ...next, retryAfter: (options.nowMs ?? Date.now()) + options.retryDelayMs };
    }
    const written = await commitChunk(ctx, locked.lock, read.file, next);
    if (written.ok && options.license) await releaseLicense(ctx, options.license, job, chunk, claim.token);
    if (!written.ok) return { ok: false, reason: written.reason === 'taken' ? 'fenced' : written.reason };
    return { ok: true, record: next };
  } catch (error) {
    // the job was removed while the chunk ran: its folder is gone, there is nothing to record
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, reason: 'gone' };
    throw error;
  } finally {
    await locked.lock.release();
  }
}

/** The held lock while it is still ours; else (none, or broken meanwhile) the chunk's lock taken now. */
async function relock(ctx: FarmContext, job: string, chunk: string, held: HeldLock | undefined): Promise<LockResult> {
  if (held && (await held.stillHeld())) return { ok: true, lock: held };
  await held?.release();
  return ctx.locks.lock(ctx.layout.chunkLock(job, chunk));
}

export interface ChangeOptions {
  /** The lock the holder keeps (a progress save): used while still ours, and kept. */
  held?: HeldLock;
  /** Give up at once when someone holds the lock, rather than wait for it (the reaper's repairs). */
  once?: boolean;
}

/**
 * Applies `change` to a chunk in `from` under its lock (user commands: retry; a holder's progress; the
 * reaper's repairs). Returns the new record, or null when nothing changed.
 */
export async function changeChunk(ctx: FarmContext, job: string, chunk: string, from: ChunkState, change: (r: ChunkRecord) => ChunkRecord | null, options: ChangeOptions = {}): Promise<ChunkRecord | null> {
  const { held } = options;
  if (held && (await held.stillHeld())) return applyChange(ctx, held, job, chunk, from, change);
  const lockPath = ctx.layout.chunkLock(job, chunk);
  const locked = options.once ? await ctx.locks.tryLock(lockPath) : await ctx.locks.lock(lockPath);
  if (!locked.ok) return null;
  try {
    return await applyChange(ctx, locked.lock, job, chunk, from, change);
  } finally {
    await locked.lock.release();
  }
}

async function applyChange(ctx: FarmContext, lock: HeldLock, job: string, chunk: string, from: ChunkState, change: (r: ChunkRecord) => ChunkRecord | null): Promise<ChunkRecord | null> {
  const read = await readChunk(ctx, job, from, chunk);
  if (!read.ok) return null;
  const next = change(read.record);
  if (!next) return null;
  const written = await commitChunk(ctx, lock, read.file, next);
  return written.ok ? next : null;
}
