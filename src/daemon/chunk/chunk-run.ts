// One claimed chunk run on this node: its slot ticket, its hooks in their process group with a GPU and
// the job's paths, its previews and progress, then the fenced end of its attempt (attempt-recorder.ts).
import type { FarmContext } from '../../claim/context.js';
import type { HeldLock } from '../../claim/mutex.js';
import { claimOf, type AttemptEnd } from '../../claim/transitions.js';
import { runChunkHooks, type ChunkOutcome } from '../../hooks/stages.js';
import { PreviewsAsSaved } from '../../previews/for-chunk.js';
import type { Claim } from '../../spool/running-names.js';
import type { ChunkRecord, JobRecord } from '../../spool/records.js';
import type { WarmBroker } from '../../warm/broker.js';
import type { AttemptRecorder } from './attempt-recorder.js';
import { GpuTicket, type NodeDevices } from './gpu-ticket.js';
import { ProcessGroup } from './process-group.js';
import { ProgressSaver, type ProgressTracker } from './progress-saver.js';
import { SlotTicket } from './slot-ticket.js';
import type { WorkingDirs } from './working-dirs.js';

/** What every chunk gets from its node, built once in main.ts; all of it required. */
export interface ChunkRunDeps {
  ctx: FarmContext;
  node: string;
  nice: number;
  ioIdle: boolean;
  /** The node's lease key: its hooks run only while the lease is valid (hooks/lease.ts). */
  lease: string;
  progressFor(job: JobRecord): ProgressTracker | undefined;
  /** The warm path (src/warm/), once started; undefined when it is off. */
  warm(): WarmBroker | undefined;
  /** The node's device: a GPU for this chunk's hooks (given back when they end), and their variables. */
  devices: NodeDevices;
  /** The job's paths on this node (project roots): RENDER_FILE, RENDER_OUTPUT, RENDER_PATH_MAP. */
  pathsFor(job: JobRecord): Promise<Record<string, string>>;
  /** Where each job's hooks run, looked up at most once a second per job. */
  workingDirs: WorkingDirs;
  /** BLENDER for the job's hooks: the node's Blender that fits it (several per node: --blender). */
  blenderEnv(job: JobRecord): Record<string, string>;
  recorder: AttemptRecorder;
  /** One line per decision (RENDERD_LOG_DECISIONS=1): tests wait for a stop instead of sleeping. */
  decide(line: string): void;
}

export class RunningChunk {
  private readonly abort = new AbortController();
  private stopReason: string | undefined;
  private readonly ticket: SlotTicket;
  private readonly group = new ProcessGroup();
  readonly progress: ProgressSaver;
  /** Its end is being recorded (its file leaves running/ by its own doing). */
  ending = false;
  /** Killed because its claim is gone: its end is not recorded at all. */
  private claimLost = false;
  private hooksEnded = false;
  /** Its render stage ended well: its slot renders the next chunk while its post-* and end-* hooks run. */
  private slotFreed = false;
  /** Whether its hooks all succeeded (false until they ended). */
  endedWell = false;

  /** `ahead`: claimed while the node's slots were busy with short chunks; waits for grantSlot(). */
  constructor(private readonly deps: ChunkRunDeps, readonly job: JobRecord, readonly record: ChunkRecord, private readonly lock: HeldLock, ahead: boolean) {
    this.ticket = new SlotTicket(deps.ctx.clock, deps.ctx.clock.monotonicMs(), ahead);
    this.progress = new ProgressSaver(deps.ctx, job, record, lock, deps.progressFor(job));
  }

  get token(): string { return this.record.token!; }
  get claim(): Claim { return claimOf(this.record); }
  /** Claimed ahead and still waiting for a slot. */
  get waitsForSlot(): boolean { return this.ticket.waiting; }
  /** When the hooks could start (monotonic ms): the chunk's own time, without its wait for a slot. */
  get grantedMs(): number | undefined { return this.ticket.grantedMs; }
  grantSlot(): void { this.ticket.grantSlot(); }

  /**
   * Whether the chunk still needs one of the node's slots. A slot is a render: a chunk whose render stage
   * ended well gives its slot up at once, and the next chunk renders while this one's post-* and end-*
   * hooks run and its end is recorded (issue 17: with a warm Blender, those were a fifth of a small chunk).
   */
  get holdsSlot(): boolean {
    return !this.waitsForSlot && !this.hooksEnded && !this.slotFreed;
  }

  /** The user is back at the machine (--idle-only): its hooks are stopped where they are. */
  suspend(): void { this.group.suspend(); }
  resume(): void { this.group.resume(); }

  /** Stops the chunk's hooks and gives the chunk back to the queue. */
  stop(reason: string): void {
    if (this.stopReason === undefined) this.deps.decide(`stop: ${reason}, stopping chunk ${this.job.id}/${this.record.id}`);
    this.stopReason ??= reason;
    if (this.group.isSuspended) this.group.resume(); // a stopped process group cannot act on SIGTERM
    this.abort.abort();
  }

  /** Its claim is gone (taken over): its hooks die now, not after a grace period, since another node may run it. */
  kill(reason: string): void {
    if (this.stopReason === undefined) this.deps.decide(`stop: ${reason}, killing chunk ${this.job.id}/${this.record.id}`);
    this.stopReason ??= reason;
    this.claimLost = true;
    this.group.kill();
    this.abort.abort();
  }

  /** Runs the hooks and records the end; `onSlotFree` is called when the slot can take another chunk. */
  async run(onSlotFree: () => void): Promise<void> {
    const { ctx } = this.deps;
    const { job, record } = this;
    const previews = job.kind === 'blender' ? new PreviewsAsSaved(ctx, job, record) : undefined;
    const warm = job.kind === 'blender' ? this.deps.warm()?.admit(job.id, ctx.layout.hooksDir(job.id), this.abort.signal, this.deps.lease) : undefined;
    const gpu = new GpuTicket(this.deps.devices);
    let outcome: ChunkOutcome;
    try {
      // read before the slot: a chunk claimed ahead gets ready while it waits
      const { workingDirs } = this.deps;
      const lookUpWorkingDir = () => workingDirs.get(job.id, job.cwd, ctx.layout.jobDir(job.id));
      const [paths, lookedUp] = await Promise.all([this.deps.pathsFor(job), lookUpWorkingDir()]);
      await this.ticket.waitUnless(this.abort.signal);
      // a folder looked up long before the slot came is looked up again: it may have gone meanwhile
      const workingDir = (workingDirs.stale(lookedUp.atMs) ? await lookUpWorkingDir() : lookedUp).dir;
      const nodeEnv = { ...this.deps.blenderEnv(job), ...gpu.take(job), ...paths };
      outcome = this.abort.signal.aborted ? { status: 'stopped', reason: 'stopped before it started' } : await runChunkHooks({
        spool: ctx.layout.root,
        job,
        chunk: record,
        node: this.deps.node,
        attempt: record.attempt,
        logFile: ctx.layout.logFile(job.id, record.id, record.attempt),
        hooksDir: ctx.layout.hooksDir(job.id),
        command: job.kind === 'exec' ? job.command : undefined,
        workingDir,
        nice: this.deps.nice,
        ioIdle: this.deps.ioIdle,
        suspension: this.group.suspension,
        extraEnv: warm?.env,
        warmRender: warm?.inPlace,
        onSpawn: (pgid) => this.group.spawned(pgid),
        timeoutMs: job.timeoutMs,
        silenceTimeoutMs: job.silenceTimeoutMs,
        onLine: (line) => {
          this.progress.onLine(line);
          previews?.onLine(line);
        },
        signal: this.abort.signal,
        lease: this.deps.lease,
        nodeEnv,
        warn: (text) => ctx.log(`chunk ${job.id}/${record.id}: ${text}`),
        onRenderEnded: () => {
          gpu.give();
          this.group.letGo();
          this.slotFreed = true;
          onSlotFree();
        },
        onHooksEnded: (status) => {
          gpu.give();
          // a failure in pre-* or render-* is recorded first: the next claim must see it (blocklist, --max-failed)
          if (status !== 'ok') return;
          this.hooksEnded = true;
          this.group.end();
          if (!this.slotFreed) onSlotFree();
        },
      });
    } catch (error) {
      outcome = { status: 'failed', reason: `could not run hooks: ${(error as Error).message}` };
    } finally {
      gpu.give();
      warm?.done();
    }
    this.endedWell = outcome.status === 'ok';
    // before the end is recorded, so a done chunk has its previews (the slot is already free)
    if (this.endedWell) await previews?.finish();
    await this.recordEnd(outcome);
  }

  private async recordEnd(outcome: ChunkOutcome): Promise<void> {
    const final = this.progress.current();
    const end: AttemptEnd = outcome.status === 'ok' ? { outcome: 'done', progress: final }
      : outcome.status === 'stopped' ? { outcome: 'stopped', error: this.stopReason ?? outcome.reason }
      : { outcome: 'failed', error: `${outcome.failedHook ?? 'hooks'}: ${outcome.reason}`, progress: final };
    this.ending = true;
    const attempt = { job: this.job, record: this.record, lock: this.lock, progress: this.progress, sinceMs: this.ticket.grantedMs ?? this.ticket.claimedMs };
    if (this.claimLost) return this.deps.recorder.recordNothing(attempt, this.stopReason);
    await this.deps.recorder.record(attempt, end);
  }
}
