// One watch per node on the jobs it runs (issue 26): a pause or a removal reaches a running chunk through
// active/, which announces both (the entry renamed `.paused`, or removed) — one stat of the folder per poll
// and a listing when it changed, whatever the slot count — instead of a read of job.json per chunk per
// second. `render pause` and `render remove` also tell the nodes over their sockets; this is for the nodes
// they could not reach. An entry gone or paused is confirmed by one read of job.json: only that file says a
// job was removed (an entry also goes when a job fails early) or paused, and a job.json that cannot be read
// is a broken job, never a removed one.
import type { FarmContext } from '../claim/context.js';
import type { ActiveEntry } from '../jobs/active.js';
import { readJob } from '../jobs/read.js';
import { ActiveListing } from './active-listing.js';

/** What the watch needs of a chunk run here (chunk/chunk-run.ts RunningChunk). */
export interface WatchedChunk {
  job: { id: string };
  record: { id: string };
  readonly ending: boolean;
  stop(reason: string): void;
}

export class RunningJobsWatch {
  private readonly listing: ActiveListing;
  /** The chunks already compared with the entries as last listed. */
  private compared = new WeakSet<WatchedChunk>();

  constructor(private readonly ctx: FarmContext, private readonly running: () => Iterable<WatchedChunk>, fullListMs: number) {
    this.listing = new ActiveListing(ctx, fullListMs);
  }

  /** One look: costs nothing while no chunk runs, a stat of active/ while some do (`force`: a listing). */
  async check(force = false): Promise<void> {
    const chunks = [...this.running()].filter((chunk) => !chunk.ending);
    if (chunks.length === 0) return;
    const { entries, changed } = await this.listing.view(force);
    if (changed) this.compared = new WeakSet();
    const fresh = chunks.filter((chunk) => !this.compared.has(chunk));
    if (fresh.length === 0) return;
    const byJob = new Map<string, ActiveEntry>(entries.map((entry) => [entry.job, entry]));
    const doubtful = new Set(fresh.map((chunk) => chunk.job.id).filter((job) => byJob.get(job)?.paused !== false));
    for (const chunk of fresh) this.compared.add(chunk);
    for (const job of doubtful) {
      const why = await this.stopReason(job);
      // not readable now: looked at again at the next poll
      if (why === null) for (const chunk of fresh) if (chunk.job.id === job) this.compared.delete(chunk);
      if (!why) continue;
      for (const chunk of chunks) if (chunk.job.id === job && !chunk.ending) chunk.stop(why);
    }
  }

  /** Why the chunks of `job` must stop (job.json removed or paused); undefined: they go on; null: unreadable. */
  private async stopReason(job: string): Promise<string | undefined | null> {
    try {
      const record = await readJob(this.ctx, job);
      if (!record) return 'job removed';
      return record.paused ? 'job paused' : undefined;
    } catch (error) {
      this.ctx.log(`job ${job}: check of its running chunks failed: ${(error as Error).message}`);
      return null;
    }
  }
}
