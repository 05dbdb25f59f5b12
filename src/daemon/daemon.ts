// A render node: registers, heartbeats, claims chunks into its slots, runs them, recovers dead nodes'
// chunks. The clock, the spool and the log are handed in; process signals are wired in main.ts.
import { OBSERVE_MS } from '../liveness/budget.js';
import chokidar, { type FSWatcher } from 'chokidar';
import type { FarmContext } from '../claim/context.js';
import { HEARTBEAT_MS, HolderJudge } from '../liveness/judge.js';
import type { ProcessIdentity } from '../nodes/host.js';
import { readNodeControl, removeNodeRecord, writeNodeRecord } from '../nodes/registry.js';
import { SystemSampler, type SystemFigures } from '../nodes/sysinfo.js';
import { FORMAT_VERSION, type Holder, type JobRecord, type NodeRecord } from '../spool/records.js';
import { ChunkFinder } from './finder.js';
import { noteActiveChange } from '../jobs/active.js';
import { startWarmPath, type WarmBroker } from '../warm/index.js';
import os from 'node:os';
import { isWithinSchedule } from './schedule.js';
import { isMachineIdle, msSinceLastInput } from '../nodes/idle.js';
import fs from 'node:fs/promises';
import path from 'node:path';
import { readFarmKey, startPeerServer, type PeerServer, type StatusReplyBody } from '../peers/index.js';
import { localSocketPath } from '../nodes/address.js';
import { privateSocketPath } from '../nodes/socket-dir.js';
import { tellNode } from '../nodes/tell.js';
import { handlePeerMessage, type NodeSurface } from './peer-handler.js';
import { answerDoctor } from './doctor-answer.js';
import type { DaemonOptions } from './options.js';
import { Reaper } from './reaper.js';
import { sweepDebris } from '../spool/debris.js';
import { claimNodeName, NameHold, releaseNodeName } from './registration.js';
import { ChunkDurations } from './ahead.js';
import { nodeDevices } from '../devices/devices.js';
import { advertised, blenderEnvFor } from './blenders.js';
import type { ProbedBlender } from '../blender/probe.js';
import { nodePaths } from '../project/node-paths.js';
import { PROGRESS_SAVE_MS, RunningChunk, type AttemptRecorded, type ProgressTracker, type WorkerEnv } from './worker.js';
import { RunningJobsWatch } from './job-watch.js';
import { ClaimKeeper } from '../liveness/keeper.js';
import { leaseFileOf } from '../claim/mutex.js';

const DEBRIS_SWEEP_MS = 3_600_000;
/** Chunk starts and ends rewrite the node record at most this often. */
const HEARTBEAT_COALESCE_MS = 250;
/** The node's control file (pause, drain) is re-read at least this often; a node-control message marks it changed at once. */
const CONTROL_READ_MS = 5000;
/** How often --idle-only looks at the user's terminals. */
const IDLE_CHECK_MS = 2000;

export interface DaemonDeps {
  ctx: FarmContext;
  options: DaemonOptions;
  identity: ProcessIdentity;
  /** The Blenders this node offers, probed at start (none given: judged by nothing, as before). */
  blenders?: readonly ProbedBlender[];
  /** What it found of its Blenders, logged once it is up. */
  blenderLine?: string;
  progressFor?: (job: JobRecord) => ProgressTracker | undefined;
  onJobFinished?: (job: JobRecord) => void;
  onAttemptRecorded?: (event: AttemptRecorded) => void;
}

type NodeState = NodeRecord['state'];

export class Daemon {
  /** This instance's id: also the owner written into every lock it takes. */
  private readonly instance: string;
  private readonly judge: HolderJudge;
  /** Set once another instance took our name: we stop claiming, give our chunks back and exit 1. */
  private nameLost = false;
  private readonly nameHold: NameHold;
  private readonly running = new Map<string, RunningChunk>();
  private readonly finder: ChunkFinder;
  private readonly reaper: Reaper;
  /** The lease on its hooks, and its own claims checked against what it runs. */
  private readonly keeper: ClaimKeeper;
  /** Pause and removal of the jobs run here, seen through active/: one watch for every slot. */
  private readonly jobWatch: RunningJobsWatch;
  private readonly sampler = new SystemSampler();
  /** How long recent chunks took here, per job: a node claims ahead only behind short ones. */
  private readonly durations = new ChunkDurations();
  private readonly startedAt: string;
  private state: NodeState = 'running';
  private stopping = false;
  private beat = 0;
  private sys: SystemFigures | undefined;
  private wakeUp: (() => void) | undefined;
  private woken = false;
  private timers: NodeJS.Timeout[] = [];
  private watcher: FSWatcher | undefined;
  private heartbeatWrite: Promise<void> = Promise.resolve();
  private server: PeerServer | undefined;
  /** What every running chunk gets from its node; built once. */
  private readonly workerEnv: WorkerEnv;
  private key: Buffer | undefined;
  private warm: WarmBroker | undefined;

  constructor(private readonly deps: DaemonDeps) {
    const { ctx, options, identity } = deps;
    this.instance = ctx.locks.owner;
    this.judge = new HolderJudge(identity);
    this.nameHold = new NameHold(ctx.layout, options.node, this.instance);
    this.finder = new ChunkFinder({
      ctx,
      node: { name: options.node, pool: options.pool, tags: options.tags, memTotalBytes: os.totalmem(), device: options.device, blenders: deps.blenders },
      liveNodes: () => this.reaper.nodeNames(),
      liveNodeTraits: () => this.reaper.nodeTraits(),
      onJobEnded: (job) => this.announceJobFinished(job),
      nowMs: () => Date.now(),
      warmJobs: () => this.warm?.pool.warmJobs() ?? new Set<string>(),
      beforeClaim: (job) => this.keeper.claimTried(job),
    });
    this.reaper = new Reaper(ctx, this.judge, this.instance, (record, msg) =>
      this.key ? tellNode({ key: this.key, from: options.node, self: identity }, record, msg) : Promise.resolve({ ok: false, reason: 'unreachable', detail: 'no key' }),
      (job) => this.announceJobFinished(job));
    this.startedAt = ctx.clock.wallIso();
    this.keeper = new ClaimKeeper({ ctx, instance: this.instance, node: options.node, held: () => this.running.values() });
    this.jobWatch = new RunningJobsWatch(ctx, () => this.running.values());
    this.workerEnv = {
      lease: this.instance,
      onUnrecordedEnd: (pending) => this.keeper.leave(pending),
      ctx,
      node: options.node,
      nice: options.nice,
      ioIdle: Boolean(options.idle),
      progressFor: deps.progressFor ?? (() => undefined),
      onJobFinished: (job) => this.announceJobFinished(job),
      queuedHint: (job) => this.finder.lastQueued(job),
      devices: nodeDevices(options.device, options.gpus),
      pathsFor: (job) => nodePaths(ctx.layout.root, options.node, job),
      blenderEnv: (job) => blenderEnvFor(job, deps.blenders ?? []),
      onAttemptRecorded: (event) => {
        if (event.outcome === 'failed') this.finder.forgetFailures(event.job.id);
        deps.onAttemptRecorded?.(event);
      },
    };
  }

  private get log() { return this.deps.ctx.log; }

  /** Runs until stopped (or idle, with --exit-when-idle); resolves with the exit code. */
  async run(): Promise<number> {
    const { ctx, options, identity } = this.deps;
    const taken = await claimNodeName(ctx.layout, options.node, identity, this.instance, ctx.clock, ctx.log);
    if (taken.provenDead) this.judge.markDead(taken.provenDead);
    // one refresh of this file keeps every lock of this instance alive (claim/mutex.ts)
    ctx.locks.useLease(leaseFileOf(ctx.layout, this.instance));
    const key = await readFarmKey(ctx.layout.root);
    await this.listen(key);
    this.warm = await startWarmPath({ slots: options.slots, idleMs: options.warmIdleMs, maxFrames: options.warmMaxFrames, nice: options.nice,
      ioIdle: Boolean(options.idle), nodeSocket: this.server?.unixPath ?? localSocketPath(ctx.layout.root, options.node), log: (line) => this.log(line) })
      .catch((error) => { this.log(`warm path off: ${(error as Error).message}`); return undefined; });
    this.workerEnv.warm = this.warm;
    // the first record goes out without CPU and memory figures, which follow within moments: claim first
    void this.sampler.sample().then((sys) => { this.sys = sys; this.heartbeatSoon(); }, (error) => this.log(`sampling failed: ${(error as Error).message}`));
    await this.heartbeat();
    this.keeper.start();
    this.log(`node ${options.node} up: pid ${identity.pid}, ${options.slots} slot(s)${options.pool ? `, pool ${options.pool}` : ''}, spool ${ctx.layout.root}`);
    // once the name is ours: a node that refuses to start says so in one line
    if (this.deps.blenderLine) this.log(this.deps.blenderLine);
    this.every(HEARTBEAT_MS, async () => {
      this.sys = await this.sampler.sample();
      await this.heartbeat();
    });
    this.every(OBSERVE_MS, () => this.reap());
    // while chunks run: one stat of active/ per poll (pause, removal), one progress save per PROGRESS_SAVE_MS
    this.every(options.pollMs, () => this.jobWatch.check());
    this.every(PROGRESS_SAVE_MS, () => this.saveOneProgress());
    // crash debris (staging folders, trash, old quarantine) after its grace period
    this.every(DEBRIS_SWEEP_MS, async () => { await sweepDebris(ctx.layout, Date.now(), this.log); });
    if (options.idle) {
      await this.followUser();
      this.every(IDLE_CHECK_MS, () => this.followUser());
    }
    this.watch();
    await this.reap();
    try {
      await this.loop();
    } finally {
      for (const timer of this.timers) clearInterval(timer);
      this.keeper.stop();
      clearTimeout(this.soon);
      await this.watcher?.close();
      await this.server?.close();
      await this.warm?.close();
      await this.heartbeatWrite;
      await removeNodeRecord(ctx.layout, options.node, this.instance);
      releaseNodeName(ctx.layout, options.node, this.instance);
      ctx.locks.dropLease();
      this.log(`node ${options.node} down`);
    }
    return this.nameLost ? 1 : 0;
  }

  /** First call: stop claiming and let running chunks finish. Second: stop them and give them back. */
  requestStop(): void {
    if (!this.stopping) {
      this.stopping = true;
      this.state = 'stopping';
      this.log(`stopping: no new chunks; ${this.running.size} running chunk(s) will finish (signal again to stop them)`);
    } else {
      this.log(`stopping now: giving back ${this.running.size} running chunk(s)`);
      for (const chunk of this.running.values()) chunk.stop('node stopping');
    }
    this.wake();
  }

  /** Something may be claimable: new job, finished chunk, control change. */
  wake(): void {
    this.woken = true;
    this.wakeUp?.();
  }

  private async loop(): Promise<void> {
    for (let failures = 0; ;) {
      try {
        if ((await this.iteration()) === 'exit') return;
        failures = 0;
      } catch (error) {
        // one bad file or I/O error costs this round, never the node: log it, back off, go on
        failures++;
        this.log(`loop: ${(error as Error).message ?? error} (going on)`);
        await this.sleepUntilWoken(Math.min(this.deps.options.pollMs * 2 ** failures, 60_000));
      }
    }
  }

  /** The last round ended with a poll nobody woke us for: the finder looks only at what changed on the spool. */
  private polled = false;

  /** One round: control, a claim if there is a free slot, else a sleep until woken or polled. */
  private async iteration(): Promise<'exit' | 'again'> {
    const { options } = this.deps;
    const poll = this.polled;
    this.polled = false;
    this.woken = false;
    if (this.stopping && this.running.size === 0) return 'exit';
    await this.applyControl();
    const claiming = this.state === 'running' && this.mayClaimNow() && this.keeper.leaseValid();
    const waiting = [...this.running.values()].find((chunk) => chunk.waitsForSlot);
    if (waiting && !claiming) waiting.stop('the node stopped taking work before the chunk started');
    const free = this.slotsInUse() < options.slots;
    if (waiting && claiming && free) {
      waiting.grantSlot();
      return 'again';
    }
    if (!waiting && claiming && (free || this.durations.mayClaimAhead(this.slotJobs()))) {
      const claimed = await this.finder.claimNext(this.holder(), { poll });
      if (claimed) {
        // a slot may have freed during the claim
        const ahead = this.slotsInUse() >= options.slots;
        this.start(new RunningChunk(this.workerEnv, claimed.job, claimed.record, claimed.lock, ahead));
        return 'again';
      }
      if (options.exitWhenIdle && this.running.size === 0 && !(await this.finder.anythingLeft())) {
        this.log('nothing left to run here: exiting (--exit-when-idle)');
        return 'exit';
      }
    }
    this.polled = !this.woken && !(await this.sleepUntilWoken(options.pollMs));
    return 'again';
  }

  /**
   * Chunks whose end is being recorded stay in `running` (they still are, on the spool) but free their slot;
   * so does a chunk claimed ahead until it is granted one.
   */
  private slotsInUse(): number {
    return this.slotJobs().length;
  }

  /** The jobs of the chunks holding a slot (a job once per chunk). */
  private slotJobs(): string[] {
    const jobs: string[] = [];
    for (const chunk of this.running.values()) if (chunk.holdsSlot) jobs.push(chunk.job.id);
    return jobs;
  }

  private start(chunk: RunningChunk): void {
    const key = `${chunk.job.id}/${chunk.record.id}`;
    this.running.set(key, chunk);
    // a warm Blender of a job no slot runs any more is not needed: the node moved on
    this.warm?.pool.retainJobs(new Set([...this.running.values()].map((c) => c.job.id)));
    this.heartbeatSoon();
    chunk.run(() => this.wake())
      .catch((error) => this.log(`chunk ${key}: ${(error as Error).stack ?? error}`))
      .finally(() => {
        this.running.delete(key);
        if (chunk.endedWell) this.durations.record(chunk.job.id, this.deps.ctx.clock.monotonicMs() - chunk.grantedMs!);
        else this.giveBackAhead(chunk.job.id);
        this.heartbeatSoon();
        this.wake();
      });
  }

  /**
   * A chunk of `job` failed or stopped here: the job is no longer known short, and a chunk of it claimed
   * ahead goes back (the failure may be this node's, which the blocklist must see before another claim).
   */
  private giveBackAhead(job: string): void {
    this.durations.forget(job);
    for (const chunk of this.running.values()) if (chunk.waitsForSlot && chunk.job.id === job) chunk.stop('a chunk of its job failed or stopped here before it started');
  }

  /** The progress of the chunk saved longest ago, if it changed: one save a period, whatever the slots. */
  private async saveOneProgress(): Promise<void> {
    let oldest: RunningChunk | undefined;
    for (const chunk of this.running.values()) {
      if (chunk.progressChanged && (!oldest || chunk.progressSavedMs < oldest.progressSavedMs)) oldest = chunk;
    }
    await oldest?.saveProgress();
  }

  private announceJobFinished(job: JobRecord): void {
    this.log(`job ${job.id} (${job.name}) finished`);
    this.warm?.pool.endJob(job.id, 'its job finished');
    this.deps.onJobFinished?.(job);
  }

  private holder(): Holder {
    const { identity, options } = this.deps;
    return { node: options.node, instance: this.instance, host: identity.host, bootId: identity.bootId, pidns: identity.pidns, pid: identity.pid, pidStart: identity.pidStart };
  }

  private userAway = true;

  /** --schedule and --idle-only: whether this is a time to take new work. */
  private mayClaimNow(): boolean {
    const { options } = this.deps;
    if (options.schedule && !isWithinSchedule(options.schedule, new Date())) return false;
    // --idle-only: followUser keeps userAway current on its own timer (and once before the first claim)
    return this.userAway;
  }

  /** --idle-only: someone came back, suspend the renders; they left again, resume them. */
  private async followUser(): Promise<void> {
    const { options } = this.deps;
    if (!options.idle) return;
    const load = os.loadavg()[0];
    const away = isMachineIdle(options.idle, await msSinceLastInput(Date.now()), load, this.running.size);
    if (away === this.userAway) return;
    this.userAway = away;
    for (const chunk of this.running.values()) {
      if (away) chunk.resume(); else chunk.suspend();
    }
    this.log(away ? `nobody at the machine: ${this.running.size ? 'resuming renders' : 'claiming again'}` : `somebody is at the machine: ${this.running.size ? 'renders suspended' : 'not claiming'}`);
    if (away) this.wake();
  }

  private controlReadMs = -Infinity;
  private controlDirty = true;

  private async applyControl(): Promise<void> {
    if (this.stopping) return;
    // the file is the durable truth; a node-control message marks it changed, else it is re-read each second
    const now = this.deps.ctx.clock.monotonicMs();
    if (!this.controlDirty && now - this.controlReadMs < CONTROL_READ_MS && this.state !== 'draining') return;
    this.controlDirty = false;
    this.controlReadMs = now;
    const control = await readNodeControl(this.deps.ctx.layout, this.deps.options.node, this.log);
    const wanted: NodeState = control?.state ?? 'running';
    if (wanted === 'draining' && this.running.size === 0) {
      if (this.state !== 'paused') this.log('drained: no chunks running, paused');
      this.state = 'paused';
      return;
    }
    if (wanted !== this.state) {
      this.log(`node state ${this.state} → ${wanted}`);
      this.state = wanted;
      void this.heartbeat();
    }
  }

  private soon: NodeJS.Timeout | undefined;

  /**
   * The record also tells tools which chunks run here (render pause stops them through it): rewrite it
   * after a change, but at most once per HEARTBEAT_COALESCE_MS however fast chunks come and go.
   */
  private heartbeatSoon(): void {
    this.soon ??= setTimeout(() => {
      this.soon = undefined;
      void this.heartbeat();
    }, HEARTBEAT_COALESCE_MS);
  }

  private async heartbeat(): Promise<void> {
    // one write at a time, in order: the beat counter only goes up
    this.heartbeatWrite = this.heartbeatWrite.then(() => this.writeRecord()).catch((error) =>
      this.log(`heartbeat failed: ${(error as Error).message}`));
    return this.heartbeatWrite;
  }

  private async writeRecord(): Promise<void> {
    const { ctx, options, identity } = this.deps;
    const holder = this.nameHold.check(ctx.clock.monotonicMs());
    if (holder !== true) return this.loseName(holder);
    const startedMs = ctx.clock.monotonicMs();
    this.beat++;
    const record: NodeRecord = {
      v: FORMAT_VERSION,
      name: options.node,
      instance: this.instance,
      host: identity.host,
      bootId: identity.bootId,
      pidns: identity.pidns,
      pid: identity.pid,
      pidStart: identity.pidStart,
      startedAt: this.startedAt,
      beat: this.beat,
      state: this.state,
      slots: options.slots,
      pool: options.pool,
      tags: options.tags,
      blenders: this.deps.blenders && advertised(this.deps.blenders),
      address: this.server?.tcp ? { host: options.advertise, port: this.server.tcp.port } : undefined,
      socket: this.server?.unixPath,
      running: [...this.running.values()].map((c) => ({ job: c.job.id, chunk: c.record.id, token: c.token, attempt: c.record.attempt, startedAt: c.record.startedAt ?? '' })),
      sys: this.sys,
      updatedAt: ctx.clock.wallIso(),
    };
    await writeNodeRecord(ctx.layout, record);
    await this.keeper.heartbeatWritten(ctx.layout.nodeFile(options.node), record, startedMs);
  }

  /** Our name is another instance's now: never obeyed twice — stop claiming, give the chunks back, exit. */
  private loseName(holder: string): void {
    if (this.nameLost) return;
    this.nameLost = true;
    this.log(`node name '${this.deps.options.node}' was taken by ${holder}: this instance stops claiming, gives back ${this.running.size} chunk(s) and exits`);
    this.stopping = true;
    this.state = 'stopping';
    for (const chunk of this.running.values()) chunk.stop('its node name was taken by another instance');
    this.wake();
  }
  private async reap(): Promise<void> {
    try {
      if ((await this.reaper.sweep()) > 0) {
        await noteActiveChange(this.deps.ctx); // other idle nodes look at queues only when active/ changed
        this.wake();
      }
    } catch (error) {
      this.log(`recovery sweep failed: ${(error as Error).message}`);
    }
  }

  private async listen(key: Buffer): Promise<void> {
    const { options, ctx } = this.deps;
    this.key = key;
    // only this user may write the socket's folder: one another user made first is not used
    const unixPath = await privateSocketPath(localSocketPath(ctx.layout.root, options.node), (line) => this.log(line));
    this.server = await startPeerServer({
      key,
      name: options.node,
      instance: this.instance,
      tcp: options.listen,
      unixPath,
      handle: async (msg) => handlePeerMessage(this.surface(), msg),
      log: { info: (line) => this.log(line), warn: (line) => this.log(line) },
    });
  }

  private surface(): NodeSurface {
    return {
      wake: () => this.wake(),
      status: () => this.status(),
      control: () => {
        this.controlDirty = true;
        this.wake();
      },
      stopChunks: (job, chunk, token, reason) => {
        let stopped = 0;
        for (const running of this.running.values()) {
          if (running.job.id !== job || (chunk && running.record.id !== chunk) || (token && running.token !== token)) continue;
          running.stop(reason);
          stopped++;
        }
        return stopped;
      },
      isRunning: (job, chunk, token) => this.running.get(`${job}/${chunk}`)?.token === token,
      doctor: (probe) => answerDoctor(this.deps.ctx.layout, probe, this.deps.blenders),
      instance: this.instance,
    };
  }

  private status(): StatusReplyBody {
    const { options } = this.deps;
    return {
      node: options.node,
      state: this.state === 'running' ? 'active' : this.state,
      slots: options.slots,
      running: [...this.running.values()].map((c) => ({ job: c.job.id, chunk: c.record.id, token: c.token, attempt: c.record.attempt, ...c.liveProgress() })),
      load: this.sys?.load[0],
      mem: this.sys ? { usedBytes: this.sys.mem.used, totalBytes: this.sys.mem.total } : undefined,
      swap: this.sys ? { usedBytes: this.sys.swap.used, totalBytes: this.sys.swap.total } : undefined,
    };
  }

  private watch(): void {
    // inotify sees local writes at once; other hosts' writes are found by polling (and peer wake-ups)
    this.watcher = chokidar.watch(this.deps.ctx.layout.active, { ignoreInitial: true, depth: 0 });
    this.watcher.on('all', () => {
      this.wake();
      void this.jobWatch.check(true).catch((error) => this.log(`job watch: ${(error as Error).message}`));
    });
    this.watcher.on('error', (error) => this.log(`watch failed, polling only: ${(error as Error).message}`));
  }

  private every(ms: number, fn: () => Promise<void>): void {
    let busy = false;
    this.timers.push(setInterval(() => {
      if (busy) return;
      busy = true;
      // a timer's failure is logged and the timer goes on: a rejection here would take the node down
      fn().catch((error) => this.log(`timer: ${(error as Error).message ?? error}`)).finally(() => { busy = false; });
    }, ms));
  }

  /** Resolves true when woken, false when the time ran out. */
  private async sleepUntilWoken(ms: number): Promise<boolean> {
    const woken = await new Promise<boolean>((resolve) => {
      const timer = setTimeout(() => resolve(false), ms);
      this.wakeUp = () => { clearTimeout(timer); resolve(true); };
    });
    this.wakeUp = undefined;
    return woken;
  }
}
