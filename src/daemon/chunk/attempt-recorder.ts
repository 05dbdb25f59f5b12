// The fenced end of a chunk's attempt, and what follows it: the failure marker (blocklist) and
// --max-failed, the job's deactivation when it was its last chunk, and the node's statistics.
// One per node, with every dependency required: an end is never recorded half-wired.
import fs from 'node:fs/promises';
import fsSync from 'node:fs';
import path from 'node:path';
import type { FarmContext } from '../../claim/context.js';
import type { HeldLock } from '../../claim/mutex.js';
import { endOptionsFor } from '../../claim/protocol.js';
import { claimOf, type AttemptEnd } from '../../claim/transitions.js';
import { endWithRetry, type PendingEnd } from '../../liveness/end-retry.js';
import { deactivateIfFinished, ignoreRemoved, noteActiveChange } from '../../jobs/active.js';
import { failJobEarly } from '../../jobs/control.js';
import { chunkNames } from '../../jobs/read.js';
import type { ChunkRecord, JobRecord } from '../../spool/records.js';
import { touchNoFollow } from '../../spool/no-follow.js';
import type { ProgressSaver } from './progress-saver.js';

export interface AttemptRecorded {
  job: JobRecord;
  record: ChunkRecord;
  outcome: AttemptEnd['outcome'];
  /** Measured on this node's monotonic clock. */
  durationMs: number;
}

export interface AttemptRecorderDeps {
  ctx: FarmContext;
  node: string;
  /** Called once per job, by whichever node ended its last chunk. */
  onJobFinished(job: JobRecord): void;
  /** A chunk of the job last seen queued, if any (a hint: it may have been claimed since). */
  queuedHint(job: string): string | undefined;
  /** An end that could not be recorded despite retries: the node keeps trying (holder/own-claims.ts). */
  onUnrecordedEnd(pending: PendingEnd): void;
  /** Called after an attempt's end is recorded on the spool (not for fenced-off results). */
  onAttemptRecorded(event: AttemptRecorded): void;
}

/** The attempt as its end is recorded. */
export interface EndingAttempt {
  job: JobRecord;
  record: ChunkRecord;
  lock: HeldLock;
  progress: ProgressSaver;
  /** Since when it ran (monotonic ms): its slot's grant. */
  sinceMs: number;
}

export class AttemptRecorder {
  constructor(private readonly deps: AttemptRecorderDeps) {}

  async record(attempt: EndingAttempt, end: AttemptEnd): Promise<void> {
    const { ctx } = this.deps;
    const { job, record } = attempt;
    const pending: PendingEnd = { job: job.id, chunk: record.id, claim: claimOf(record), end, options: { ...endOptionsFor(job), held: attempt.lock } };
    const result = await attempt.progress.endWith(() => endWithRetry(ctx, pending));
    const label = `${job.id}/${record.id}`;
    if (!result.ok) {
      if (result.reason === 'unrecorded') {
        ctx.log(`chunk ${label}: its end is still not recorded (${result.error}): this node keeps trying`);
        // with its lock, still held here (a try released it only if it got to use it)
        this.deps.onUnrecordedEnd(pending);
      } else if (result.reason !== 'gone') ctx.log(`chunk ${label}: result not recorded (${result.reason}): another attempt owns it now`);
      return;
    }
    const state = result.record.state;
    // the failure marker first: the next claim (right after this) must see it for the blocklist
    if (end.outcome === 'failed') await this.noteFailure(job, record, state);
    // back in the queue: idle nodes look at their queues only when active/ changed
    if (state === 'queued') await noteActiveChange(ctx);
    this.deps.onAttemptRecorded({ job, record: result.record, outcome: end.outcome, durationMs: ctx.clock.monotonicMs() - attempt.sinceMs });
    ctx.log(`chunk ${label} attempt ${record.attempt}: ${end.outcome}${state === 'queued' && end.outcome === 'failed' ? ' (will retry)' : ''}${'error' in end && end.error ? ` — ${end.error}` : ''}`);
    if ((state === 'done' || state === 'failed') && !this.knownUnfinished(job.id)) {
      if (await deactivateIfFinished(ctx, job.id)) this.deps.onJobFinished(job);
    }
  }

  /** A chunk whose claim was lost: no save after this, its lock let go (spared if someone else's now). */
  async recordNothing(attempt: EndingAttempt, why: string | undefined): Promise<void> {
    await attempt.progress.endWith(async () => undefined);
    await attempt.lock.release().catch(() => undefined);
    this.deps.ctx.log(`chunk ${attempt.job.id}/${attempt.record.id}: result not recorded (${why}): another attempt owns it now`);
  }

  /**
   * One stat instead of reading the job's folders: a chunk the finder last saw queued is still there, so
   * the job is not finished (whoever runs that chunk checks again at its end).
   */
  private knownUnfinished(job: string): boolean {
    const queued = this.deps.queuedHint(job);
    return queued !== undefined && fsSync.existsSync(this.deps.ctx.layout.chunkFile(job, 'queued', queued));
  }

  /** Leaves a marker per failed attempt (for the blocklist), and fails the job past --max-failed. */
  private async noteFailure(job: JobRecord, record: ChunkRecord, state: ChunkRecord['state']): Promise<void> {
    const { ctx, node } = this.deps;
    const dir = path.join(ctx.layout.jobDir(job.id), 'failures');
    await ignoreRemoved(fs.mkdir(dir, { recursive: true }).then(() =>
      touchNoFollow(path.join(dir, `${node}~${record.id}~${record.attempt}`))), undefined).catch(() => undefined);
    const max = job.maxFailedChunks;
    if (state !== 'failed' || !max) return;
    const failed = (await chunkNames(ctx, job.id, 'failed')).length;
    if (failed < max) return;
    if (!(await ignoreRemoved(failJobEarly(ctx, job.id), false))) return;
    ctx.log(`job ${job.id}: ${failed} chunks failed (--max-failed ${max}): job failed, the rest will not run`);
    this.deps.onJobFinished(job);
  }
}
