// Running one claimed chunk: its hooks, a watch on its job (paused or removed stops it), progress kept
// in its record, and the fenced end of the attempt.
import type { FarmContext } from '../claim/context.js';
import { endOptionsFor } from '../claim/protocol.js';
import { endWithRetry, type PendingEnd } from '../liveness/end-retry.js';
import type { Claim } from '../spool/running-names.js';
import { HolderWrites, saveRunning } from '../claim/progress.js';
import { claimOf, type AttemptEnd } from '../claim/transitions.js';
import fs from 'node:fs/promises';
import fsSync from 'node:fs';
import path from 'node:path';
import { deactivateIfFinished, ignoreRemoved, noteActiveChange } from '../jobs/active.js';
import { failJobEarly } from '../jobs/control.js';
import { chunkNames } from '../jobs/read.js';
import { runChunkHooks, type ChunkOutcome } from '../hooks/stages.js';
import { PreviewsAsSaved } from '../previews/for-chunk.js';
import type { ChunkProgressRecord, ChunkRecord, JobRecord } from '../spool/records.js';
import type { HeldLock } from '../claim/mutex.js';
import { touchNoFollow } from '../spool/no-follow.js';
import { Suspension } from '../hooks/pausable-timer.js';
import type { WarmBroker } from '../warm/broker.js';

/**
 * How often its node saves the progress of one of its running chunks (the one saved longest ago whose
 * progress changed): the cadence does not grow with the slots (issue 26). Its job (paused, removed) is
 * watched by its node, through active/ (job-watch.ts).
 */
export const PROGRESS_SAVE_MS = 3000;

export interface ProgressTracker {
  onLine(line: string): void;
  /** The progress so far, or undefined when nothing was parsed yet. */
  current(): ChunkProgressRecord | undefined;
}

export interface WorkerEnv {
  ctx: FarmContext;
  node: string;
  nice: number;
  ioIdle?: boolean;
  progressFor(job: JobRecord): ProgressTracker | undefined;
  /** Called once per job, by whichever node ended its last chunk. */
  onJobFinished(job: JobRecord): void;
  /** A chunk of the job last seen queued, if any (a hint: it may have been claimed since). */
  queuedHint?(job: string): string | undefined;
  /** The node's lease key: its hooks run only while the lease is valid (hooks/lease.ts). */
  lease?: string;
  /** An end that could not be recorded despite retries: the node keeps trying (holder/own-claims.ts). */
  onUnrecordedEnd?(pending: PendingEnd): void;
  /** The warm path (src/warm/): Blender chunks' render hooks may have their frames rendered by a loaded Blender. */
  warm?: WarmBroker;
  /** Called after an attempt's end is recorded on the spool (not for fenced-off results). */
  onAttemptRecorded?(event: AttemptRecorded): void;
  /** The node's device: a GPU for this chunk's hooks (given back when they end), and their variables. */
  devices?: { take(): number | undefined; give(gpu: number | undefined): void; environment(gpu: number | undefined, job: JobRecord): Record<string, string> };
  /** The job's paths on this node (project roots): RENDER_FILE, RENDER_OUTPUT, RENDER_PATH_MAP. */
  pathsFor?(job: JobRecord): Promise<Record<string, string>>;
  /** BLENDER for the job's hooks: the node's Blender that fits it (several per node: --blender). */
  blenderEnv?(job: JobRecord): Record<string, string>;
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
  /** Progress saves and the end, one at a time: no save after the end (see claim/progress.ts). */
  private readonly writes: HolderWrites;
  private stopReason: string | undefined;
  readonly startedMs: number;

  /** Resolves when the chunk may start its hooks: at once, or (claimed ahead) when its node grants it a slot. */
  private readonly slot: Promise<void>;
  private grant: (() => void) | undefined;
  /** When the hooks could start (monotonic ms): the chunk's own time, without its wait for a slot. */
  grantedMs: number | undefined;

  /** `ahead`: claimed while the node's slots were busy with short chunks; waits for grantSlot(). */
  constructor(private readonly env: WorkerEnv, readonly job: JobRecord, readonly record: ChunkRecord, private readonly lock: HeldLock, ahead = false) {
    this.startedMs = env.ctx.clock.monotonicMs();
    this.writes = new HolderWrites((error) => env.ctx.log(`chunk ${job.id}/${record.id}: progress not saved: ${error.message}`));
    this.slot = ahead ? new Promise((resolve) => { this.grant = resolve; }) : Promise.resolve();
    if (!ahead) this.grantedMs = this.startedMs;
  }

  /** Claimed ahead and still waiting for a slot. */
  get waitsForSlot(): boolean {
    return this.grantedMs === undefined;
  }

  grantSlot(): void {
    this.grantedMs ??= this.env.ctx.clock.monotonicMs();
    this.grant?.();
  }

  get token(): string { return this.record.token!; }

  get claim(): Claim { return claimOf(this.record); }

  /** Its end is being recorded (its file leaves running/ by its own doing). */
  ending = false;
  /** Killed because its claim is gone: its end is not recorded at all. */
  private claimLost = false;

  private progress: ProgressTracker | undefined;

  /** What the node's status reply says about this chunk right now. */
  liveProgress(): { frame?: number; progress?: number } {
    const current = this.progress?.current();
    if (!current) return {};
    const frames = this.record.frames.length;
    return { frame: current.frame, progress: frames ? Math.min(1, (current.framesDone ?? 0) / frames) : undefined };
  }

  private pgid: number | undefined;
  private suspended = false;
  /** Tells the hook's timers: suspended time does not count against --timeout and --silence-timeout. */
  private readonly suspension = new Suspension();
  private hooksEnded = false;
  /** Its render stage ended well: its slot renders the next chunk while its post-* and end-* hooks run. */
  private slotFreed = false;
  /** Whether its hooks all succeeded (false until they ended). */
  endedWell = false;

  /**
   * Whether the chunk still needs one of the node's slots. A slot is a render: a chunk whose render stage
   * ended well gives its slot up at once, and the next chunk renders while this one's post-* and end-*
   * hooks run and its end is recorded (issue 17: with a warm Blender, those were a fifth of a small chunk).
   */
  get holdsSlot(): boolean {
    return !this.waitsForSlot && !this.hooksEnded && !this.slotFreed;
  }

  /** Stops (SIGSTOP) the running hook's whole process group: the user is back at the machine. */
  suspend(): void {
    this.suspended = true;
    this.suspension.set(true);
    this.signalGroup('SIGSTOP');
  }

  resume(): void {
    this.suspended = false;
    this.suspension.set(false);
    this.signalGroup('SIGCONT');
  }

  private signalGroup(signal: NodeJS.Signals): void {
    // once the hooks ended, the group id may belong to someone else
    if (this.hooksEnded) return;
    if (!this.pgid) return;
    try {
      process.kill(-this.pgid, signal);
    } catch {
      // the launcher reports a hook right after fork, before its setsid(): no group yet, the leader alone
      try { process.kill(this.pgid, signal); } catch { /* the hook just ended */ }
    }
  }

  /** Stops the chunk's hooks and gives the chunk back to the queue. */
  stop(reason: string): void {
    this.stopReason ??= reason;
    if (this.suspended) this.resume(); // a stopped process group cannot act on SIGTERM
    this.abort.abort();
  }

  /** Its claim is gone (taken over): its hooks die now, not after a grace period, since another node may run it. */
  kill(reason: string): void {
    this.stopReason ??= reason;
    this.claimLost = true;
    this.signalGroup('SIGCONT');
    this.signalGroup('SIGKILL');
    this.abort.abort();
  }

  /** Runs the hooks and records the end; `onSlotFree` is called when the slot can take another chunk. */
  async run(onSlotFree?: () => void): Promise<void> {
    const { ctx } = this.env;
    const { job, record } = this;
    const progress = this.env.progressFor(job);
    this.progress = progress;
    const previews = job.kind === 'blender' ? new PreviewsAsSaved(ctx, job, record) : undefined;
    const warm = job.kind === 'blender' ? this.env.warm?.admit(job.id, ctx.layout.hooksDir(job.id), this.abort.signal, this.env.lease) : undefined;
    let outcome: ChunkOutcome;
    let gpu: number | undefined;
    let gpuHeld = false;
    const giveGpu = () => {
      if (gpuHeld) this.env.devices?.give(gpu);
      gpuHeld = false;
    };
    try {
      // read before the slot: a chunk claimed ahead gets ready while it waits
      const paths = await this.env.pathsFor?.(job);
      await this.slotOrStop();
      gpu = this.env.devices?.take();
      gpuHeld = true;
      const nodeEnv = { ...this.env.blenderEnv?.(job), ...this.env.devices?.environment(gpu, job), ...paths };
      outcome = this.abort.signal.aborted ? { status: 'stopped', reason: 'stopped before it started' } : await runChunkHooks({
        spool: ctx.layout.root,
        job,
        chunk: record,
        node: this.env.node,
        attempt: record.attempt,
        logFile: ctx.layout.logFile(job.id, record.id, record.attempt),
        hooksDir: ctx.layout.hooksDir(job.id),
        command: job.kind === 'exec' ? job.command : undefined,
        jobDir: ctx.layout.jobDir(job.id),
        nice: this.env.nice,
        ioIdle: this.env.ioIdle,
        suspension: this.suspension,
        extraEnv: warm?.env,
        warmRender: warm?.inPlace,
        onSpawn: (pgid) => {
          this.pgid = pgid;
          // a hook that starts while the user is at the machine waits too
          if (this.suspended) this.signalGroup('SIGSTOP');
        },
        timeoutMs: job.timeoutMs,
        silenceTimeoutMs: job.silenceTimeoutMs,
        onLine: (line) => {
          progress?.onLine(line);
          previews?.onLine(line);
        },
        signal: this.abort.signal,
        lease: this.env.lease,
        nodeEnv,
        warn: (text) => ctx.log(`chunk ${job.id}/${record.id}: ${text}`),
        onRenderEnded: () => {
          giveGpu();
          // its render's group may be a warm Blender the slot's next chunk now uses: no longer this chunk's to stop
          this.pgid = undefined;
          this.slotFreed = true;
          onSlotFree?.();
        },
        onHooksEnded: (status) => {
          giveGpu();
          // a failure in pre-* or render-* is recorded first: the next claim must see it (blocklist, --max-failed)
          if (status !== 'ok') return;
          this.hooksEnded = true;
          if (!this.slotFreed) onSlotFree?.();
        },
      });
    } catch (error) {
      outcome = { status: 'failed', reason: `could not run hooks: ${(error as Error).message}` };
    } finally {
      giveGpu();
      warm?.done();
    }
    this.endedWell = outcome.status === 'ok';
    // before the end is recorded, so a done chunk has its previews (the slot is already free)
    if (this.endedWell) await previews?.finish();
    await this.recordEnd(outcome, progress);
  }

  /** Waits for a slot; a chunk stopped meanwhile (given back, job paused or removed) never starts. */
  private async slotOrStop(): Promise<void> {
    if (!this.waitsForSlot) return;
    const { signal } = this.abort;
    if (signal.aborted) return;
    await new Promise<void>((resolve) => {
      signal.addEventListener('abort', () => resolve(), { once: true });
      void this.slot.then(resolve);
    });
  }

  private async recordEnd(outcome: ChunkOutcome, progress: ProgressTracker | undefined): Promise<void> {
    const { ctx } = this.env;
    const final = progress?.current();
    const end: AttemptEnd = outcome.status === 'ok' ? { outcome: 'done', progress: final }
      : outcome.status === 'stopped' ? { outcome: 'stopped', error: this.stopReason ?? outcome.reason }
      : { outcome: 'failed', error: `${outcome.failedHook ?? 'hooks'}: ${outcome.reason}`, progress: final };
    this.ending = true;
    if (this.claimLost) return this.recordNothing();
    const pending: PendingEnd = { job: this.job.id, chunk: this.record.id, claim: this.claim, end, options: { ...endOptionsFor(this.job), held: this.lock } };
    // after every progress save already under way, and before none: a late save must not follow the end
    const result = await this.writes.end(() => endWithRetry(ctx, pending));
    const label = `${this.job.id}/${this.record.id}`;
    if (!result.ok) {
      if (result.reason === 'unrecorded') {
        ctx.log(`chunk ${label}: its end is still not recorded (${result.error}): this node keeps trying`);
        // with its lock, still held here (a try released it only if it got to use it)
        this.env.onUnrecordedEnd?.(pending);
      } else if (result.reason !== 'gone') ctx.log(`chunk ${label}: result not recorded (${result.reason}): another attempt owns it now`);
      return;
    }
    const state = result.record.state;
    // the failure marker first: the next claim (right after this) must see it for the blocklist
    if (end.outcome === 'failed') await this.noteFailure(state);
    // back in the queue: idle nodes look at their queues only when active/ changed
    if (state === 'queued') await noteActiveChange(ctx);
    this.env.onAttemptRecorded?.({ job: this.job, record: result.record, outcome: end.outcome, durationMs: ctx.clock.monotonicMs() - (this.grantedMs ?? this.startedMs) });
    ctx.log(`chunk ${label} attempt ${this.record.attempt}: ${end.outcome}${state === 'queued' && end.outcome === 'failed' ? ' (will retry)' : ''}${'error' in end && end.error ? ` — ${end.error}` : ''}`);
    if ((state === 'done' || state === 'failed') && !this.knownUnfinished()) {
      if (await deactivateIfFinished(ctx, this.job.id)) this.env.onJobFinished(this.job);
    }
  }

  /** A chunk whose claim was lost: no save after this, its lock let go (spared if someone else's now). */
  private async recordNothing(): Promise<void> {
    await this.writes.end(async () => undefined);
    await this.lock.release().catch(() => undefined);
    this.env.ctx.log(`chunk ${this.job.id}/${this.record.id}: result not recorded (${this.stopReason}): another attempt owns it now`);
  }

  /**
   * One stat instead of reading the job's folders: a chunk the finder last saw queued is still there, so
   * the job is not finished (whoever runs that chunk checks again at its end).
   */
  private knownUnfinished(): boolean {
    const queued = this.env.queuedHint?.(this.job.id);
    return queued !== undefined && fsSync.existsSync(this.env.ctx.layout.chunkFile(this.job.id, 'queued', queued));
  }

  /** Leaves a marker per failed attempt (for the blocklist), and fails the job past --max-failed. */
  private async noteFailure(state: ChunkRecord['state']): Promise<void> {
    const { ctx } = this.env;
    const dir = path.join(ctx.layout.jobDir(this.job.id), 'failures');
    await ignoreRemoved(fs.mkdir(dir, { recursive: true }).then(() =>
      touchNoFollow(path.join(dir, `${this.env.node}~${this.record.id}~${this.record.attempt}`))), undefined).catch(() => undefined);
    const max = this.job.maxFailedChunks;
    if (state !== 'failed' || !max) return;
    const failed = (await chunkNames(ctx, this.job.id, 'failed')).length;
    if (failed < max) return;
    if (!(await ignoreRemoved(failJobEarly(ctx, this.job.id), false))) return;
    ctx.log(`job ${this.job.id}: ${failed} chunks failed (--max-failed ${max}): job failed, the rest will not run`);
    this.env.onJobFinished(this.job);
  }

  private lastSavedMs = 0;
  private lastSaved: string | undefined;

  /** When its progress was last saved (monotonic ms; 0: never): its node saves the oldest first. */
  get progressSavedMs(): number {
    return this.lastSavedMs;
  }

  /** Whether it has progress not saved yet (never for nothing changed). */
  get progressChanged(): boolean {
    if (this.ending) return false;
    const current = this.progress?.current();
    return current !== undefined && JSON.stringify(current) !== this.lastSaved;
  }

  /** Saves its progress if it changed since the last save; its node calls this (one chunk per PROGRESS_SAVE_MS). */
  async saveProgress(): Promise<void> {
    const current = this.progress?.current();
    if (!current || this.ending) return;
    const serialized = JSON.stringify(current);
    if (serialized === this.lastSaved) return;
    this.lastSavedMs = this.env.ctx.clock.monotonicMs();
    this.lastSaved = serialized;
    await this.writes.save(() => saveRunning(this.env.ctx, this.job.id, this.record.id, claimOf(this.record), (r) =>
      // the holder's own record, with its process: readers of a claim known by name alone learn it here
      r.token === this.token ? { ...r, holder: this.record.holder, startedAt: this.record.startedAt, rev: r.rev + 1, progress: current } : null, this.lock));
  }
}
