// What users do to jobs: pause, resume, priority, retry, remove. Job fields change under the job lock,
// together with the job's active/ entry, so claimers see one consistent picture.
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { FarmContext } from '../claim/context.js';
import { changeChunk } from '../claim/protocol.js';
import { retried } from '../claim/transitions.js';
import { sleep } from '../liveness/clock.js';
import { writeFileAtomic } from '../spool/atomic.js';
import { serialize, type JobRecord } from '../spool/records.js';
import { NotFoundError } from '../errors.js';
import { activateJob, activeEntriesOf, syncActiveEntry, withJobLock } from './active.js';
import { chunkNames, readJob } from './read.js';
import { retryDependants } from './dependants.js';
import { checkPriority } from './bounds.js';

async function updateJob(ctx: FarmContext, job: string, change: (record: JobRecord) => JobRecord): Promise<JobRecord> {
  return withJobLock(ctx, job, async () => {
    const record = await readJob(ctx, job);
    if (!record) throw new NotFoundError(`job ${job} is gone`);
    const next = change(record);
    await writeFileAtomic(ctx.layout.jobFile(job), serialize(next));
    // the entry exists only while the job has work; sync keeps it as it is otherwise
    if ((await activeEntriesOf(ctx, job)).length > 0) await syncActiveEntry(ctx, job);
    return next;
  });
}

export function setPaused(ctx: FarmContext, job: string, paused: boolean): Promise<JobRecord> {
  return updateJob(ctx, job, (record) => ({ ...record, paused }));
}

/** A priority out of bounds (or not whole) is a usage error, whichever way it came in. */
export async function setPriority(ctx: FarmContext, job: string, priority: number): Promise<JobRecord> {
  checkPriority(priority);
  return updateJob(ctx, job, (record) => ({ ...record, priority }));
}

export interface EarlyFailure {
  reason: string;
  dependency?: string;
  /** Re-checked under the job lock, fresh: the job is failed only if it still holds. */
  stillTrue?: () => Promise<boolean>;
}

/**
 * Marks a job failed once too many of its chunks failed (or a dependency did): its entry goes, nothing more is claimed.
 * True for the one caller that set the mark, so the job's failure is announced once.
 */
export async function failJobEarly(ctx: FarmContext, job: string, why?: EarlyFailure): Promise<boolean> {
  return withJobLock(ctx, job, async () => {
    const record = await readJob(ctx, job);
    if (!record || record.failedEarly) return false;
    // checked under the lock: a retry of the dependency clears this job under the same lock
    if (why?.stillTrue && !(await why.stillTrue())) return false;
    await writeFileAtomic(ctx.layout.jobFile(job), serialize({ ...record, failedEarly: true, failedReason: why?.reason, failedDependency: why?.dependency }));
    await syncActiveEntry(ctx, job);
    return true;
  });
}

/**
 * Puts a job's failed chunks back in the queue with a fresh set of attempts; returns how many. The jobs
 * that failed because this one had (a failed dependency) come back with it, and theirs with them.
 */
export async function retryFailed(ctx: FarmContext, job: string): Promise<number> {
  const count = await retryOne(ctx, job);
  await retryDependants(ctx, job, retryOne);
  return count;
}

async function retryOne(ctx: FarmContext, job: string): Promise<number> {
  const record = await readJob(ctx, job);
  if (record?.failedEarly) await updateJob(ctx, job, (r) => ({ ...r, failedEarly: undefined, failedReason: undefined, failedDependency: undefined }));
  let count = 0;
  for (const chunk of await chunkNames(ctx, job, 'failed')) {
    if (await changeChunk(ctx, job, chunk, 'failed', retried)) count++;
  }
  if (count > 0 || record?.failedEarly) await activateJob(ctx, job);
  return count;
}

/**
 * Removes a job: its entry first (no new claims), then its folder is moved to trash/ in one rename, so
 * running holders find it gone, stop their hooks and record nothing; then the trash is emptied.
 */
/** Removes the job; with `stillWanted`, only if it says so under the job's lock (false: left as it was). */
export async function removeJob(ctx: FarmContext, job: string, stillWanted?: () => Promise<boolean>): Promise<boolean> {
  const wanted = await withJobLock(ctx, job, async () => {
    if (stillWanted && !(await stillWanted())) return false;
    const entries = await activeEntriesOf(ctx, job);
    await Promise.all(entries.map((name) => fs.rm(path.join(ctx.layout.active, name), { force: true })));
    return true;
  });
  if (!wanted) return false;
  const trashed = path.join(ctx.layout.trash, `${job}.${randomBytes(3).toString('hex')}`);
  await fs.rename(ctx.layout.jobDir(job), trashed);
  await emptyTrash(ctx, trashed);
  return true;
}

/** Waits between tries to remove a trashed job: renames already in flight when it moved land meanwhile. */
const TRASH_RETRY_MS = [50, 250, 1000];

/**
 * The job is removed once its folder is in trash/; emptying it can race a node's rename that was already under
 * way into its old path (ENOTEMPTY on a loaded farm). Tried a few times; what is left the debris sweep takes.
 */
async function emptyTrash(ctx: FarmContext, trashed: string): Promise<void> {
  for (let attempt = 0; ; attempt++) {
    try {
      await fs.rm(trashed, { recursive: true, force: true });
      return;
    } catch (error) {
      if (attempt >= TRASH_RETRY_MS.length) {
        ctx.log(`${path.basename(trashed)}: left in trash/ for the debris sweep: ${(error as Error).message}`);
        return;
      }
      await sleep(TRASH_RETRY_MS[attempt]);
    }
  }
}
