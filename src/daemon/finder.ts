// Finding the next chunk to claim without scanning every info file: the active/ index gives the jobs in
// claim order; each job's queued/ listing is cached and re-read only when used up or gone stale.
import type { FarmContext } from '../claim/context.js';
import { tryClaim } from '../claim/protocol.js';
import { listActive, hasLiveChunks, type ActiveEntry } from '../jobs/active.js';
import { chunkNames, readJob } from '../jobs/read.js';
import type { ChunkRecord, Holder, JobRecord } from '../spool/records.js';

/** Claim among the first few queued chunks at random: nodes racing for one job rarely collide. */
const SPREAD = 4;
/** After this many misses in a row the cached listing is more stale than useful. */
const MAX_MISSES = 8;

export interface Claimed {
  job: JobRecord;
  record: ChunkRecord;
}

export class ChunkFinder {
  private readonly queued = new Map<string, string[]>();
  private readonly jobs = new Map<string, JobRecord>();

  constructor(private readonly ctx: FarmContext, private readonly canRun: (job: JobRecord) => boolean) {}

  /** Claims the best runnable chunk on the spool for `holder`, or returns null when there is none. */
  async claimNext(holder: Holder): Promise<Claimed | null> {
    const entries = await listActive(this.ctx);
    this.forgetInactive(entries);
    for (const entry of entries) {
      if (entry.paused) continue;
      const job = await this.jobRecord(entry.job);
      if (!job || !this.canRun(job)) continue;
      const record = await this.claimInJob(job.id, holder);
      if (record) return { job: { ...job, priority: entry.priority }, record };
    }
    return null;
  }

  /** Whether anything on the spool could still become runnable here (for --exit-when-idle). */
  async anythingLeft(): Promise<boolean> {
    for (const entry of await listActive(this.ctx)) {
      if (entry.paused) continue;
      const job = await this.jobRecord(entry.job);
      if (job && this.canRun(job) && (await hasLiveChunks(this.ctx, job.id))) return true;
    }
    return false;
  }

  private async claimInJob(job: string, holder: Holder): Promise<ChunkRecord | null> {
    let misses = 0;
    for (let refreshed = false; ;) {
      let names = this.queued.get(job);
      if (!names?.length || misses >= MAX_MISSES) {
        if (refreshed) return null;
        names = (await chunkNames(this.ctx, job, 'queued')).sort();
        this.queued.set(job, names);
        refreshed = true;
        misses = 0;
        if (!names.length) return null;
      }
      const pick = Math.floor(Math.random() * Math.min(SPREAD, names.length));
      const [chunk] = names.splice(pick, 1);
      const result = await tryClaim(this.ctx, job, chunk, holder);
      if (result.ok) return result.record;
      misses++;
    }
  }

  private async jobRecord(job: string): Promise<JobRecord | null> {
    // a job's spec does not change after submission; priority and pause come from active/ names
    const cached = this.jobs.get(job);
    if (cached) return cached;
    const record = await readJob(this.ctx, job);
    if (record) this.jobs.set(job, record);
    return record;
  }

  private forgetInactive(entries: ActiveEntry[]): void {
    const live = new Set(entries.map((e) => e.job));
    for (const job of this.jobs.keys()) if (!live.has(job)) this.jobs.delete(job);
    for (const job of this.queued.keys()) if (!live.has(job)) this.queued.delete(job);
  }
}
