// Whether a job has really ended, asked of each chunk by name. A directory listing on NFS can be cached
// (a chunk just put back in queued/ unseen), an open by name is revalidated (close-to-open): before job
// hooks fire, every chunk must be found in done/ or failed/ that way — never early, and so never twice.
// The opens run on the thread pool, a few at a time: a job of 100,000 chunks on NFS takes many seconds,
// and a node's event loop must keep renewing its lease meanwhile (its other renders depend on it).
import fs from 'node:fs/promises';
import type { FarmContext } from '../claim/context.js';
import { chunkId } from '../frames/chunks.js';
import { isMissing } from '../spool/atomic.js';
import type { JobRecord } from '../spool/records.js';

/** Opens in flight at once: enough to hide a filer's round trips, few enough to leave it room. */
const PARALLEL_OPENS = 16;

async function opens(file: string): Promise<boolean> {
  try {
    await (await fs.open(file, 'r')).close();
    return true;
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ESTALE') return false;
    throw error;
  }
}

async function chunkEnded(ctx: Pick<FarmContext, 'layout'>, job: Pick<JobRecord, 'id' | 'chunks'>, index: number): Promise<boolean> {
  const id = chunkId(index, job.chunks);
  return (await opens(ctx.layout.chunkFile(job.id, 'done', id))) || opens(ctx.layout.chunkFile(job.id, 'failed', id));
}

/** Every chunk of `job` is in done/ or failed/, each found by an open of its own name. */
export async function everyChunkEnded(ctx: Pick<FarmContext, 'layout'>, job: Pick<JobRecord, 'id' | 'chunks'>): Promise<boolean> {
  let next = 0;
  let ended = true;
  const worker = async () => {
    while (ended && next < job.chunks) if (!(await chunkEnded(ctx, job, next++))) ended = false;
  };
  await Promise.all(Array.from({ length: Math.min(PARALLEL_OPENS, job.chunks) }, worker));
  return ended;
}
