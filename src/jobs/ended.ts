// Whether a job has really ended, asked of each chunk by name. A directory listing on NFS can be cached
// (a chunk just put back in queued/ unseen), an open by name is revalidated (close-to-open): before job
// hooks fire, every chunk must be found in done/ or failed/ that way — never early, and so never twice.
import fs from 'node:fs';
import type { FarmContext } from '../claim/context.js';
import { chunkId } from '../frames/chunks.js';
import { isMissing } from '../spool/atomic.js';
import type { JobRecord } from '../spool/records.js';

function opens(file: string): boolean {
  try {
    fs.closeSync(fs.openSync(file, 'r'));
    return true;
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ESTALE') return false;
    throw error;
  }
}

/** Every chunk of `job` is in done/ or failed/, each found by an open of its own name. */
export function everyChunkEnded(ctx: Pick<FarmContext, 'layout'>, job: Pick<JobRecord, 'id' | 'chunks'>): boolean {
  for (let i = 0; i < job.chunks; i++) {
    const id = chunkId(i, job.chunks);
    if (!opens(ctx.layout.chunkFile(job.id, 'done', id)) && !opens(ctx.layout.chunkFile(job.id, 'failed', id))) return false;
  }
  return true;
}
