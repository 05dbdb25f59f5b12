// The claim protocol. Every transition happens under the chunk's mutex; a claim token written at claim
// time fences late results: a holder whose token is no longer on the chunk records nothing (invariant 2).
import { randomBytes } from 'node:crypto';
import type { ChunkRecord, Holder } from '../spool/records.js';
import type { ChunkState } from '../spool/layout.js';
import type { FarmContext } from './context.js';
import { commitChunk, readChunk } from './chunks.js';
import { attemptEnded, claimed, type AttemptEnd } from './transitions.js';

export type ClaimResult = { ok: true; record: ChunkRecord } | { ok: false; reason: 'locked' | 'taken' | 'corrupt' | 'lock-lost' };

export async function tryClaim(ctx: FarmContext, job: string, chunk: string, holder: Holder): Promise<ClaimResult> {
  const locked = await ctx.locks.tryLock(ctx.layout.chunkLock(job, chunk));
  if (!locked.ok) return { ok: false, reason: locked.reason === 'gone' ? 'taken' : 'locked' };
  try {
    const read = await readChunk(ctx, job, 'queued', chunk);
    if (!read.ok) return { ok: false, reason: read.reason === 'corrupt' ? 'corrupt' : 'taken' };
    const next = claimed(read.record, holder, randomBytes(8).toString('hex'), ctx.clock.wallIso());
    const written = await commitChunk(ctx, locked.lock, 'queued', next);
    return written.ok ? { ok: true, record: next } : written;
  } finally {
    await locked.lock.release();
  }
}

export type EndResult = { ok: true; record: ChunkRecord } | { ok: false; reason: 'fenced' | 'gone' | 'busy' | 'lock-lost' };

/**
 * Records the end of an attempt — by its holder (done, failed, stopped) or by a node that judged the holder
 * dead (lost). Refused unless the chunk is still running under `token`.
 */
export async function endAttempt(ctx: FarmContext, job: string, chunk: string, token: string, end: AttemptEnd, retries: number): Promise<EndResult> {
  const locked = await ctx.locks.lock(ctx.layout.chunkLock(job, chunk));
  if (!locked.ok) return { ok: false, reason: locked.reason === 'gone' ? 'gone' : 'busy' };
  try {
    const read = await readChunk(ctx, job, 'running', chunk);
    if (!read.ok) return { ok: false, reason: read.reason === 'missing' ? 'fenced' : 'gone' };
    if (read.record.token !== token) return { ok: false, reason: 'fenced' };
    const next = attemptEnded(read.record, end, retries, ctx.clock.wallIso());
    const written = await commitChunk(ctx, locked.lock, 'running', next);
    return written.ok ? { ok: true, record: next } : written;
  } catch (error) {
    // the job was removed while the chunk ran: its folder is gone, there is nothing to record
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return { ok: false, reason: 'gone' };
    throw error;
  } finally {
    await locked.lock.release();
  }
}

/** Applies `change` to a chunk in `from` under its lock (user commands: retry). Returns the new record. */
export async function changeChunk(ctx: FarmContext, job: string, chunk: string, from: ChunkState, change: (r: ChunkRecord) => ChunkRecord | null): Promise<ChunkRecord | null> {
  const locked = await ctx.locks.lock(ctx.layout.chunkLock(job, chunk));
  if (!locked.ok) return null;
  try {
    const read = await readChunk(ctx, job, from, chunk);
    if (!read.ok) return null;
    const next = change(read.record);
    if (!next) return null;
    const written = await commitChunk(ctx, locked.lock, from, next);
    return written.ok ? next : null;
  } finally {
    await locked.lock.release();
  }
}
