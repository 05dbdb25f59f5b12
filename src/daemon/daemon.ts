// A render node's loop: registers, starts its parts, then rounds of control, claim gate and slots until it
// stops (or is idle, with --exit-when-idle). Its parts are built in main.ts and handed in; this file only
// orders them in time.
import chokidar, { type FSWatcher } from 'chokidar';
import { leaseFileOf } from '../claim/mutex.js';
import { noteActiveChange } from '../jobs/active.js';
import { removeNodeRecord } from '../nodes/registry.js';
import { readFarmKey, type PeerServer } from '../peers/index.js';
import { sweepDebris } from '../spool/debris.js';
import type { Holder, JobRecord } from '../spool/records.js';
import type { WarmBroker } from '../warm/index.js';
import { RunningChunk } from './chunk/chunk-run.js';
import { claimGate, describeGate, slotStep } from './claim-gate.js';
import type { NodeParts } from './parts.js';
import { claimNodeName, releaseNodeName } from './registration.js';

export class Daemon {
  private watcher: FSWatcher | undefined;
  private server: PeerServer | undefined;
  /** The farm key, once read: peer messages to other nodes (the reaper's questions) need it. */
  key: Buffer | undefined;
  warm: WarmBroker | undefined;
  /** The last round ended with a poll nobody woke us for: the finder looks only at what changed on the spool. */
  private polled = false;
  /** The claim gate as last described, and whether the last round rested: decisions are logged on change. */
  private lastGate = '';
  private rested = false;

  constructor(private readonly parts: NodeParts) {}

  private get log() { return this.parts.ctx.log; }

  get peerServer(): PeerServer | undefined { return this.server; }

  /** Runs until stopped (or idle, with --exit-when-idle); resolves with the exit code. */
  async run(): Promise<number> {
    const { ctx, options, identity, instance, timers, record, keeper } = this.parts;
    const taken = await claimNodeName(ctx.layout, options.node, identity, instance, ctx.clock, ctx.log);
    if (taken.provenDead) this.parts.judge.markDead(taken.provenDead);
    // one refresh of this file keeps every lock of this instance alive (claim/mutex.ts)
    ctx.locks.useLease(leaseFileOf(ctx.layout, instance));
    this.key = await readFarmKey(ctx.layout.root);
    this.server = await this.parts.listen(this.key);
    this.warm = await this.parts.startWarm(this.server);
    // the first record goes out without CPU and memory figures, which follow within moments: claim first
    void this.parts.sampler.sample().then((sys) => { record.setFigures(sys); record.writeSoon(); }, (error) => this.log(`sampling failed: ${(error as Error).message}`));
    await record.write();
    keeper.start();
    this.log(`node ${options.node} up: pid ${identity.pid}, ${options.slots} slot(s)${options.pool ? `, pool ${options.pool}` : ''}, spool ${ctx.layout.root}`);
    // once the name is ours: a node that refuses to start says so in one line
    this.log(this.parts.blenderLine);
    this.startTimers();
    if (options.idle) await this.parts.presence.follow();
    this.watch();
    await this.reap();
    try {
      await this.loop();
    } finally {
      timers.clear();
      keeper.stop();
      await this.watcher?.close();
      await this.server?.close();
      await this.warm?.close();
      await record.settle();
      await removeNodeRecord(ctx.layout, options.node, instance);
      releaseNodeName(ctx.layout, options.node, instance);
      ctx.locks.dropLease();
      this.log(`node ${options.node} down`);
    }
    return this.parts.state.nameLost ? 1 : 0;
  }

  private startTimers(): void {
    const { ctx, options, timers, record, slots, jobWatch, presence } = this.parts;
    const { cadence } = options;
    timers.every(cadence.heartbeatMs, async () => {
      record.setFigures(await this.parts.sampler.sample());
      await record.write();
    });
    timers.every(cadence.observeMs, () => this.reap());
    // while chunks run: one stat of active/ per poll (pause, removal), one progress save per period
    timers.every(options.pollMs, () => jobWatch.check());
    timers.every(cadence.progressSaveMs, async () => { await slots.stalestProgress()?.progress.save(); });
    // crash debris (staging folders, trash, old quarantine) after its grace period
    timers.every(cadence.debrisSweepMs, async () => { await sweepDebris(ctx.layout, ctx.clock.wallMs(), this.log); });
    if (options.idle) timers.every(cadence.idleCheckMs, () => presence.follow());
  }

  /** First call: stop claiming and let running chunks finish. Second: stop them and give them back. */
  requestStop(): void {
    const { state, slots } = this.parts;
    if (state.stopOnSignal()) {
      this.log(`stopping: no new chunks; ${slots.size} running chunk(s) will finish (signal again to stop them)`);
    } else {
      this.log(`stopping now: giving back ${slots.size} running chunk(s)`);
      slots.stopAll('node stopping');
    }
    this.parts.waker.wake();
  }

  /** Our name is another instance's now: stop claiming, give the chunks back, exit 1. */
  loseName(holder: string): void {
    const { state, slots, options } = this.parts;
    if (!state.loseName()) return;
    this.log(`node name '${options.node}' was taken by ${holder}: this instance stops claiming, gives back ${slots.size} chunk(s) and exits`);
    slots.stopAll('its node name was taken by another instance');
    this.parts.waker.wake();
  }

  private async loop(): Promise<void> {
    for (let failures = 0; ;) {
      try {
        if ((await this.round()) === 'exit') return;
        failures = 0;
      } catch (error) {
        // one bad file or I/O error costs this round, never the node: log it, back off, go on
        failures++;
        this.log(`loop: ${(error as Error).message ?? error} (going on)`);
        const { pollMs, cadence } = this.parts.options;
        await this.parts.waker.sleep(Math.min(pollMs * 2 ** failures, cadence.loopBackoffMaxMs));
      }
    }
  }

  /** One round: control, a claim if there is a free slot, else a rest until woken or polled. */
  private async round(): Promise<'exit' | 'again'> {
    const { ctx, options, state, slots, waker, keeper, finder, durations } = this.parts;
    const poll = this.polled;
    this.polled = false;
    waker.beginRound();
    if (state.stopping && slots.size === 0) return 'exit';
    if (await state.applyControl(slots.size)) void this.parts.record.write();
    const gate = claimGate({ state: state.state, leaseValid: keeper.leaseValid(), schedule: options.schedule,
      userAway: this.parts.presence.userAway, now: new Date(ctx.clock.wallMs()) });
    this.noteGate(describeGate(gate));
    const waiting = slots.waiting();
    const step = slotStep({ gateOpen: gate.open, waiting: waiting !== undefined, freeSlot: slots.hasFreeSlot,
      mayClaimAhead: !waiting && gate.open && durations.mayClaimAhead(slots.slotJobs()) });
    if (step === 'give back the waiting chunk') waiting!.stop('the node stopped taking work before the chunk started');
    if (step === 'grant the waiting chunk') {
      waiting!.grantSlot();
      return 'again';
    }
    if (step === 'claim') {
      const claimed = await finder.claimNext(this.holder(), { poll });
      if (claimed) {
        // a slot may have freed during the claim
        this.start(new RunningChunk(this.parts.chunkDeps, claimed.job, claimed.record, claimed.lock, !slots.hasFreeSlot));
        this.rested = false;
        return 'again';
      }
      if (options.exitWhenIdle && slots.size === 0 && !(await finder.anythingLeft())) {
        this.log('nothing left to run here: exiting (--exit-when-idle)');
        return 'exit';
      }
    }
    const woken = !poll || !this.rested;
    if (woken) this.parts.decide(`rest: ${gate.open ? (step === 'claim' ? 'nothing to claim' : 'slots full') : gate.reason}, ${slots.size} running`);
    this.rested = true;
    this.polled = !waker.wokenThisRound && !(await waker.sleep(options.pollMs));
    return 'again';
  }

  private noteGate(line: string): void {
    if (line === this.lastGate) return;
    this.lastGate = line;
    this.parts.decide(line);
  }

  private start(chunk: RunningChunk): void {
    const { slots, record, durations, ctx, waker } = this.parts;
    const key = `${chunk.job.id}/${chunk.record.id}`;
    slots.add(chunk);
    // a warm Blender of a job no slot runs any more is not needed: the node moved on
    this.warm?.pool.retainJobs(slots.jobIds());
    record.writeSoon();
    chunk.run(() => waker.wake())
      .catch((error) => this.log(`chunk ${key}: ${(error as Error).stack ?? error}`))
      .finally(() => {
        slots.delete(chunk);
        if (chunk.endedWell) durations.record(chunk.job.id, ctx.clock.monotonicMs() - chunk.grantedMs!);
        else this.giveBackAhead(chunk.job.id);
        record.writeSoon();
        waker.wake();
      });
  }

  /**
   * A chunk of `job` failed or stopped here: the job is no longer known short, and a chunk of it claimed
   * ahead goes back (the failure may be this node's, which the blocklist must see before another claim).
   */
  private giveBackAhead(job: string): void {
    this.parts.durations.forget(job);
    for (const chunk of this.parts.slots.values()) if (chunk.waitsForSlot && chunk.job.id === job) chunk.stop('a chunk of its job failed or stopped here before it started');
  }

  /** A job ended: logged, its warm Blender let go, its job-done/failed hooks run (main.ts). */
  jobFinished(job: JobRecord, then: (job: JobRecord) => void): void {
    this.log(`job ${job.id} (${job.name}) finished`);
    this.warm?.pool.endJob(job.id, 'its job finished');
    then(job);
  }

  private holder(): Holder {
    const { identity, options, instance } = this.parts;
    return { node: options.node, instance, host: identity.host, bootId: identity.bootId, pidns: identity.pidns, pid: identity.pid, pidStart: identity.pidStart };
  }

  private async reap(): Promise<void> {
    try {
      if ((await this.parts.reaper.sweep()) > 0) {
        await noteActiveChange(this.parts.ctx); // other idle nodes look at queues only when active/ changed
        this.parts.waker.wake();
      }
    } catch (error) {
      this.log(`recovery sweep failed: ${(error as Error).message}`);
    }
  }

  private watch(): void {
    const { ctx, waker, jobWatch } = this.parts;
    // inotify sees local writes at once; other hosts' writes are found by polling (and peer wake-ups)
    this.watcher = chokidar.watch(ctx.layout.active, { ignoreInitial: true, depth: 0 });
    this.watcher.on('all', () => {
      waker.wake();
      void jobWatch.check(true).catch((error) => this.log(`job watch: ${(error as Error).message}`));
    });
    this.watcher.on('error', (error) => this.log(`watch failed, polling only: ${(error as Error).message}`));
  }
}
