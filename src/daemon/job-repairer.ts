// What a crash can leave of a job's bookkeeping, repaired by the recovery sweep: an active/ entry that
// outlived the job's last chunk, and a job with chunks to run that lost its active/ entry.
import type { FarmContext } from '../claim/context.js';
import { activateJob, deactivateIfFinished, hasLiveChunks } from '../jobs/active.js';
import { listJobIds, readJob } from '../jobs/read.js';
import { describeJobError } from '../jobs/broken.js';
import type { JobRecord } from '../spool/records.js';

export class JobRepairer {
  /** The first full check waits a window: it reads every job folder, and a starting node has work to find. */
  private lastFullCheckMs: number;
  /** Jobs a sweep could not look at, with the reason last logged: each named once, not every sweep. */
  private readonly unreadable = new Map<string, string>();

  constructor(
    private readonly ctx: FarmContext,
    /** How often the whole jobs/ folder is checked for jobs that lost their active/ entry in a crash (cadence.ts). */
    private readonly fullCheckMs: number,
    /** A job this sweep found finished (its last chunk's node could not mark it): announced once. */
    private readonly onJobFinished?: (job: JobRecord) => void,
  ) {
    this.lastFullCheckMs = ctx.clock.monotonicMs();
  }

  /** The entry of a job with nothing left to run outlived its last chunk (a crash, a busy lock): finish it. */
  async finishIfDone(job: string): Promise<void> {
    if (await hasLiveChunks(this.ctx, job)) return;
    const record = await readJob(this.ctx, job);
    if (!record) return;
    if (await deactivateIfFinished(this.ctx, job)) {
      this.ctx.log(`job ${job} had finished without being marked: done now`);
      this.onJobFinished?.(record);
    }
  }

  /** Every `everyMs` at least fullCheckMs: jobs with chunks to run but no active/ entry get one back. */
  async restoreLostEntriesEvery(everyMs: number, active: Set<string>, now: number): Promise<void> {
    if (now - this.lastFullCheckMs < Math.max(this.fullCheckMs, everyMs)) return;
    this.lastFullCheckMs = now;
    for (const job of await listJobIds(this.ctx)) {
      await this.guarded(job, async () => {
        if (active.has(job) || !(await hasLiveChunks(this.ctx, job))) return 0;
        const record = await readJob(this.ctx, job);
        if (!record || record.failedEarly) return 0;
        await activateJob(this.ctx, job);
        this.ctx.log(`job ${job} had chunks to run but no active/ entry: restored`);
        return 0;
      });
    }
  }

  /** Runs one job's part of a sweep; its failure is logged (once per reason) and costs only that job. */
  async guarded(job: string, work: () => Promise<number>): Promise<number> {
    try {
      const result = await work();
      this.unreadable.delete(job);
      return result;
    } catch (error) {
      const reason = describeJobError(error);
      if (this.unreadable.get(job) !== reason) this.ctx.log(`recovery sweep: job ${job} skipped: ${reason}`);
      this.unreadable.set(job, reason);
      return 0;
    }
  }
}
