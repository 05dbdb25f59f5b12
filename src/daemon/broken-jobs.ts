// Jobs this node could not read or work on: skipped, retried with backoff, named once in the log and
// marked on the spool (broken/) so that `render list` shows why. One bad job never stops the node.
import type { SpoolLayout } from '../spool/layout.js';
import { clearBroken, markBroken } from '../spool/broken-marks.js';
import { describeJobError } from '../jobs/broken.js';
import type { Cadence } from './cadence.js';


interface Entry { reason: string; retryAtMs: number; backoffMs: number }

export class BrokenJobs {
  private readonly jobs = new Map<string, Entry>();
  // marks being written: a node leaving (--exit-when-idle skips broken jobs) waits for them, or none is left
  private readonly writing = new Set<Promise<unknown>>();

  constructor(private readonly env: {
    layout: SpoolLayout; node: string; log: (line: string) => void; nowMs: () => number;
    /** First retry after brokenJobBackoffMs, doubling up to brokenJobMaxBackoffMs. */
    cadence: Pick<Cadence, 'brokenJobBackoffMs' | 'brokenJobMaxBackoffMs'>;
  }) {}

  /** Whether the job is waiting out its backoff: the node does not look at it now. */
  skipping(job: string): boolean {
    const entry = this.jobs.get(job);
    return entry !== undefined && entry.retryAtMs > this.env.nowMs();
  }

  /** Whether the job is known broken here (backoff or not): --exit-when-idle does not wait for it. */
  isBroken(job: string): boolean {
    return this.jobs.has(job);
  }

  failed(job: string, error: unknown): void {
    const reason = describeJobError(error);
    const previous = this.jobs.get(job);
    const { brokenJobBackoffMs, brokenJobMaxBackoffMs } = this.env.cadence;
    const backoffMs = previous ? Math.min(previous.backoffMs * 2, brokenJobMaxBackoffMs) : brokenJobBackoffMs;
    this.jobs.set(job, { reason, backoffMs, retryAtMs: this.env.nowMs() + backoffMs });
    if (previous?.reason === reason) return;
    // named once per reason: a job that stays broken does not fill the log
    this.env.log(`job ${job} is broken here, skipped (retried with backoff): ${reason}`);
    this.track(markBroken(this.env.layout, job, this.env.node, reason));
  }

  /** The job was read and worked on again. */
  ok(job: string): void {
    if (!this.jobs.delete(job)) return;
    this.env.log(`job ${job} reads again here`);
    this.track(clearBroken(this.env.layout, job, this.env.node));
  }

  /** Forgets jobs no longer active (removed, finished). */
  retain(live: Set<string>): void {
    for (const job of this.jobs.keys()) {
      if (live.has(job)) continue;
      this.jobs.delete(job);
      this.track(clearBroken(this.env.layout, job, this.env.node));
    }
  }

  /** Every mark write started so far, finished (a failed one is a mark missed, never the node's end). */
  async settle(): Promise<void> {
    await Promise.all([...this.writing]);
  }

  private track(write: Promise<unknown>): void {
    const tracked = write.catch(() => undefined).finally(() => this.writing.delete(tracked));
    this.writing.add(tracked);
  }
}
