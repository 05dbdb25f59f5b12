// The active/ index: one empty entry per unfinished job, its name carrying what a claimer sorts by,
// so an idle node's poll is one small readdir (invariant 6). Entries change only under the job lock.
import fs from 'node:fs/promises';
import path from 'node:path';
import { hasEntries, isMissing, listNames } from '../spool/atomic.js';
import type { FarmContext } from '../claim/context.js';
import { readJob } from './read.js';
import { everyChunkEnded } from './ended.js';
import { FarmError, NotFoundError } from '../errors.js';
import { chunkIdOf } from '../spool/running-names.js';
import { touchNoFollow } from '../spool/no-follow.js';

export interface ActiveEntry {
  job: string;
  priority: number;
  paused: boolean;
  name: string;
}

const ENTRY = /^(.+)\.p(-?\d+)(\.paused)?$/;

export function activeEntryName(job: string, priority: number, paused: boolean): string {
  return `${job}.p${priority}${paused ? '.paused' : ''}`;
}

export function parseActiveEntryName(name: string): ActiveEntry | null {
  const match = ENTRY.exec(name);
  if (!match) return null;
  return { job: match[1], priority: Number(match[2]), paused: Boolean(match[3]), name };
}

/** Claim order: higher priority first, then submission order (job ids sort by submission time). */
export function compareForClaim(a: ActiveEntry, b: ActiveEntry): number {
  return b.priority - a.priority || (a.job < b.job ? -1 : a.job > b.job ? 1 : 0);
}

export async function listActive(ctx: FarmContext): Promise<ActiveEntry[]> {
  const entries: ActiveEntry[] = [];
  for (const name of await listNames(ctx.layout.active)) {
    const entry = parseActiveEntryName(name);
    if (entry) entries.push(entry);
  }
  return entries.sort(compareForClaim);
}

/** Runs `fn` holding the job's lock (short-held: entry and job.json changes only). */
export async function withJobLock<T>(ctx: FarmContext, job: string, fn: () => Promise<T>): Promise<T> {
  const result = await ctx.locks.lock(ctx.layout.jobLock(job));
  if (!result.ok && result.reason === 'gone') throw new NotFoundError(`job ${job} is gone`);
  if (!result.ok) throw new FarmError('EBUSY', `job ${job} stayed locked; try again`);
  try {
    return await fn();
  } finally {
    await result.lock.release();
  }
}

/** The job's entries in active/ (normally one; none once it finished). */
export async function activeEntriesOf(ctx: FarmContext, job: string): Promise<string[]> {
  return (await listNames(ctx.layout.active)).filter((name) => parseActiveEntryName(name)?.job === job);
}

/** Makes the job's entry match its job.json, creating it if missing. Call under the job lock. */
export async function syncActiveEntry(ctx: FarmContext, job: string): Promise<void> {
  const record = await readJob(ctx, job);
  const existing = await activeEntriesOf(ctx, job);
  if (!record || record.failedEarly) {
    await Promise.all(existing.map((name) => fs.rm(path.join(ctx.layout.active, name), { force: true })));
    return;
  }
  const wanted = activeEntryName(job, record.priority, record.paused);
  if (!existing.includes(wanted)) touchNoFollow(path.join(ctx.layout.active, wanted));
  await Promise.all(existing.filter((n) => n !== wanted).map((n) => fs.rm(path.join(ctx.layout.active, n), { force: true })));
}

/** After chunks move back to queued from done/failed (retry): make sure claimers can see the job. */
export async function activateJob(ctx: FarmContext, job: string): Promise<void> {
  await ignoreRemoved(withJobLock(ctx, job, () => syncActiveEntry(ctx, job)), undefined);
}

/**
 * Whether the job still has queued or running chunks. Checked queued, running, queued: a chunk that moves
 * between the two (a claim, or a requeue) during the check is in one of them at one of the three looks.
 */
export async function hasLiveChunks(ctx: FarmContext, job: string): Promise<boolean> {
  const { layout } = ctx;
  // a stray file (notes.txt, a temp file) is not a chunk: it must not keep a job, or a node, waiting
  const isChunk = (name: string) => chunkIdOf(name) !== null;
  return (await hasEntries(layout.stateDir(job, 'queued'), isChunk))
    || (await hasEntries(layout.stateDir(job, 'running'), isChunk))
    || (await hasEntries(layout.stateDir(job, 'queued'), isChunk));
}

/**
 * Removes the job's entry if it has nothing left to run. Returns true for exactly one caller per
 * finish — the one whose removal took the entry away, under the job lock — so job-level events fire once;
 * and only once every chunk is found ended by name, so never early on a stale listing.
 */
export async function deactivateIfFinished(ctx: FarmContext, job: string): Promise<boolean> {
  if (await hasLiveChunks(ctx, job)) return false;
  return ignoreRemoved(withJobLock(ctx, job, async () => {
    if (await hasLiveChunks(ctx, job)) return false;
    // the listings may be stale (NFS): each chunk is confirmed ended by its own name before anyone fires hooks
    const record = await readJob(ctx, job);
    if (!record || !(await everyChunkEnded(ctx, record))) return false;
    let removed = false;
    for (const name of await activeEntriesOf(ctx, job)) {
      try {
        await fs.unlink(path.join(ctx.layout.active, name));
        removed = true;
      } catch (error) {
        if (!isMissing(error)) throw error;
      }
    }
    // a requeue that raced the removal re-creates the entry
    if (removed && (await hasLiveChunks(ctx, job))) {
      await syncActiveEntry(ctx, job);
      return false;
    }
    return removed;
  }), false);
}

/**
 * Work came back (a chunk re-queued, a job retried): replace active/.wake by a rename, which changes the
 * folder itself. Idle nodes poll with one stat of active/ and look at their queues only when it changed.
 */
export async function noteActiveChange(ctx: FarmContext): Promise<void> {
  if (await touchWake(ctx)) return;
  // idle nodes wait for this note to look at a queue again: one lost to a filer blip is tried again, in the
  // background, until the filer answers (a chunk given back while it was away runs again at once)
  let delayMs = WAKE_RETRY_FIRST_MS;
  const retry = () => setTimeout(() => void touchWake(ctx).then((ok) => {
    delayMs *= 2;
    if (!ok && delayMs <= WAKE_RETRY_LAST_MS) retry();
  }), delayMs).unref();
  retry();
}

const WAKE_RETRY_FIRST_MS = 500;
const WAKE_RETRY_LAST_MS = 64_000;

async function touchWake(ctx: FarmContext): Promise<boolean> {
  const temp = path.join(ctx.layout.active, `.wake.${process.pid}.${Math.random().toString(36).slice(2)}`);
  try {
    // a fresh name, never an existing file or link; the rename replaces .wake itself, never what it points to
    await fs.writeFile(temp, String(Date.now()), { flag: 'wx' });
    await fs.rename(temp, path.join(ctx.layout.active, '.wake'));
    return true;
  } catch {
    await fs.rm(temp, { force: true }).catch(() => undefined);
    return false;
  }
}

/** A job removed while we worked on it needs nothing more from us. */
export async function ignoreRemoved<T>(work: Promise<T>, fallback: T): Promise<T> {
  try {
    return await work;
  } catch (error) {
    if (error instanceof NotFoundError) return fallback;
    throw error;
  }
}
