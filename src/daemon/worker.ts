// Running one claimed chunk: its hooks, a watch on its job (paused or removed stops it), progress kept
// in its record, and the fenced end of the attempt.
import type { FarmContext } from '../claim/context.js';
import { changeChunk, endAttempt } from '../claim/protocol.js';
import type { AttemptEnd } from '../claim/transitions.js';
import { deactivateIfFinished } from '../jobs/active.js';
import { readJob } from '../jobs/read.js';
import { runChunkHooks, type ChunkOutcome } from '../hooks/stages.js';
import type { ChunkProgressRecord, ChunkRecord, JobRecord } from '../spool/records.js';

/** How often a running chunk looks at its job (paused, removed) and saves its progress. */
export const JOB_CHECK_MS = 1000;
const PROGRESS_SAVE_MS = 3000;

export interface ProgressTracker {
  onLine(line: string): void;
  /** The progress so far, or undefined when nothing was parsed yet. */
  current(): ChunkProgressRecord | undefined;
}

export interface WorkerEnv {
  ctx: FarmContext;
  node: string;
  nice: number;
  progressFor(job: JobRecord): ProgressTracker | undefined;
  /** Called once per job, by whichever node ended its last chunk. */
  onJobFinished(job: JobRecord): void;
  /** Called after an attempt's end is recorded on the spool (not for fenced-off results). */
  onAttemptRecorded?(event: AttemptRecorded): void;
}

export interface AttemptRecorded {
  job: JobRecord;
  record: ChunkRecord;
  outcome: AttemptEnd['outcome'];
  /** Measured on this node's monotonic clock. */
  durationMs: number;
}

export class RunningChunk {
  private readonly abort = new AbortController();
  private stopReason: string | undefined;
  readonly startedMs: number;

  constructor(private readonly env: WorkerEnv, readonly job: JobRecord, readonly record: ChunkRecord) {
    this.startedMs = env.ctx.clock.monotonicMs();
  }

  get token(): string { return this.record.token!; }

  private progress: ProgressTracker | undefined;

  /** What the node's status reply says about this chunk right now. */
  liveProgress(): { frame?: number; progress?: number } {
    const current = this.progress?.current();
    if (!current) return {};
    const frames = this.record.frames.length;
    return { frame: current.frame, progress: frames ? Math.min(1, (current.framesDone ?? 0) / frames) : undefined };
  }

  /** Stops the chunk's hooks and gives the chunk back to the queue. */
  stop(reason: string): void {
    this.stopReason ??= reason;
    this.abort.abort();
  }

  async run(): Promise<void> {
    const { ctx } = this.env;
    const { job, record } = this;
    const progress = this.env.progressFor(job);
    this.progress = progress;
    const watcher = setInterval(() => void this.checkJob(progress), JOB_CHECK_MS);
    let outcome: ChunkOutcome;
    try {
      outcome = await runChunkHooks({
        spool: ctx.layout.root,
        job,
        chunk: record,
        node: this.env.node,
        attempt: record.attempt,
        logFile: ctx.layout.logFile(job.id, record.id, record.attempt),
        hooksDir: ctx.layout.hooksDir(job.id),
        command: job.kind === 'exec' ? job.command : undefined,
        cwd: ctx.layout.jobDir(job.id),
        nice: this.env.nice,
        timeoutMs: job.timeoutMs,
        onLine: progress ? (line) => progress.onLine(line) : undefined,
        signal: this.abort.signal,
      });
    } catch (error) {
      outcome = { status: 'failed', reason: `could not run hooks: ${(error as Error).message}` };
    } finally {
      clearInterval(watcher);
    }
    await this.record_(outcome, progress);
  }

  private async record_(outcome: ChunkOutcome, progress: ProgressTracker | undefined): Promise<void> {
    const { ctx } = this.env;
    const final = progress?.current();
    const end: AttemptEnd = outcome.status === 'ok' ? { outcome: 'done', progress: final }
      : outcome.status === 'stopped' ? { outcome: 'stopped', error: this.stopReason }
      : { outcome: 'failed', error: `${outcome.failedHook ?? 'hooks'}: ${outcome.reason}`, progress: final };
    const result = await endAttempt(ctx, this.job.id, this.record.id, this.token, end, this.job.retries);
    const label = `${this.job.id}/${this.record.id}`;
    if (!result.ok) {
      if (result.reason !== 'gone') ctx.log(`chunk ${label}: result not recorded (${result.reason}): another attempt owns it now`);
      return;
    }
    this.env.onAttemptRecorded?.({ job: this.job, record: result.record, outcome: end.outcome, durationMs: ctx.clock.monotonicMs() - this.startedMs });
    const state = result.record.state;
    ctx.log(`chunk ${label} attempt ${this.record.attempt}: ${end.outcome}${state === 'queued' && end.outcome === 'failed' ? ' (will retry)' : ''}${'error' in end && end.error ? ` — ${end.error}` : ''}`);
    if (state === 'done' || state === 'failed') {
      if (await deactivateIfFinished(ctx, this.job.id)) this.env.onJobFinished(this.job);
    }
  }

  private async checkJob(progress: ProgressTracker | undefined): Promise<void> {
    const { ctx } = this.env;
    try {
      const job = await readJob(ctx, this.job.id);
      if (!job) return this.stop('job removed');
      if (job.paused) return this.stop('job paused');
      await this.saveProgress(progress);
    } catch (error) {
      ctx.log(`chunk ${this.job.id}/${this.record.id}: job check failed: ${(error as Error).message}`);
    }
  }

  private lastSavedMs = 0;
  private lastSaved: string | undefined;

  private async saveProgress(progress: ProgressTracker | undefined): Promise<void> {
    const current = progress?.current();
    const now = this.env.ctx.clock.monotonicMs();
    if (!current || now - this.lastSavedMs < PROGRESS_SAVE_MS) return;
    const serialized = JSON.stringify(current);
    if (serialized === this.lastSaved) return;
    this.lastSavedMs = now;
    this.lastSaved = serialized;
    await changeChunk(this.env.ctx, this.job.id, this.record.id, 'running', (r) =>
      r.token === this.token ? { ...r, rev: r.rev + 1, progress: current } : null);
  }
}
