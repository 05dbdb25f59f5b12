// A holder's writes to its own running file: progress saves while the chunk runs, then the end of the
// attempt. A progress save is the only rewrite of a running chunk by name, so it is where a chunk could be
// brought back into running/ after its end moved it out (issue 15, item 0): a save read the file, the end
// moved it to done/, and the save's rename recreated running/<name>. Two rules make that impossible here:
// the holder's writes go one at a time with none after the end (HolderWrites), and a save replaces the
// file only if it still exists at the moment of the rename (replaceExisting).
import path from 'node:path';
import type { ChunkRecord } from '../spool/records.js';
import { replaceExisting, tempName } from '../spool/atomic.js';
import { serialize } from '../spool/records.js';
import { runningFileName, type Claim } from '../spool/running-names.js';
import { readChunkEntry } from './chunks.js';
import type { FarmContext } from './context.js';
import type { HeldLock } from './mutex.js';

/** `gone`: the claim's file is no longer in running/ (the attempt ended, or was taken back). */
export type SaveResult = 'saved' | 'unchanged' | 'gone' | 'busy';

/**
 * Applies `change` to the running chunk named by `claim`, under the holder's lock (or, once that was broken,
 * the lock taken anew without waiting). Never creates the file: a claim whose file left running/ saves nothing.
 */
export async function saveRunning(ctx: FarmContext, job: string, chunk: string, claim: Claim, change: (r: ChunkRecord) => ChunkRecord | null, held: HeldLock): Promise<SaveResult> {
  if (await held.stillHeld()) return saveUnder(ctx, held, job, chunk, claim, change);
  const locked = await ctx.locks.tryLock(ctx.layout.chunkLock(job, chunk));
  if (!locked.ok) return locked.reason === 'gone' ? 'gone' : 'busy';
  try {
    return await saveUnder(ctx, locked.lock, job, chunk, claim, change);
  } finally {
    await locked.lock.release();
  }
}

async function saveUnder(ctx: FarmContext, lock: HeldLock, job: string, chunk: string, claim: Claim, change: (r: ChunkRecord) => ChunkRecord | null): Promise<SaveResult> {
  const name = runningFileName(chunk, claim);
  const read = await readChunkEntry(ctx, job, 'running', name);
  if (!read.ok) return 'gone';
  const next = change(read.record);
  if (!next) return 'unchanged';
  if (!(await lock.stillHeld())) return 'busy';
  const tmp = path.join(ctx.layout.jobTmp(job), path.basename(tempName(read.file)));
  return (await replaceExisting(tmp, read.file, serialize(next))) ? 'saved' : 'gone';
}

/**
 * One running chunk's writes to its file, in order and one at a time: progress saves, then the end.
 * Once the end is queued, saves still waiting are dropped and later ones refused.
 */
export class HolderWrites {
  private queue: Promise<unknown> = Promise.resolve();
  private ending = false;

  constructor(private readonly onError: (error: Error) => void) {}

  /** Queues a progress save; resolves once it ran (or was dropped). */
  save(write: () => Promise<unknown>): Promise<void> {
    if (this.ending) return Promise.resolve();
    const run = this.queue.then(() => (this.ending ? undefined : write()));
    this.queue = run.catch((error: Error) => this.onError(error));
    return this.queue.then(() => undefined);
  }

  /** Queues the end, after every save already running; no save runs after it. */
  end<T>(write: () => Promise<T>): Promise<T> {
    this.ending = true;
    const run = this.queue.then(write);
    this.queue = run.catch(() => undefined);
    return run;
  }
}
