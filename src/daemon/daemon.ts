// A render node's life: registers, starts its parts and timers, runs its rounds (claim-loop.ts) until it
// stops (or is idle, with --exit-when-idle), then deregisters. Its parts are built in main.ts and handed
// in; this file only orders them in time.
import chokidar, { type FSWatcher } from 'chokidar';
import { leaseFileOf } from '../claim/mutex.js';
import { noteActiveChange } from '../jobs/active.js';
import { removeNodeRecord } from '../nodes/registry.js';
import { readFarmKey, type PeerServer } from '../peers/index.js';
import { sweepDebris } from '../spool/debris.js';
import type { JobRecord } from '../spool/records.js';
import type { WarmBroker } from '../warm/index.js';
import { ClaimLoop } from './claim-loop.js';
import type { NodeParts } from './parts.js';
import { claimNodeName, releaseNodeName } from './registration.js';

export class Daemon {
  private watcher: FSWatcher | undefined;
  private server: PeerServer | undefined;
  private farmKey: Buffer | undefined;
  private broker: WarmBroker | undefined;
  /** The first CPU and memory figures, sampled while the node starts, then written. */
  private firstFigures: Promise<void> | undefined;

  constructor(private readonly parts: NodeParts) {}

  private get log() { return this.parts.ctx.log; }

  get peerServer(): PeerServer | undefined { return this.server; }
  /** The farm key, once read: peer messages to other nodes (the reaper's questions) need it. */
  get key(): Buffer | undefined { return this.farmKey; }
  /** The warm path, once started (undefined when off). */
  get warm(): WarmBroker | undefined { return this.broker; }

  /** Runs until stopped (or idle, with --exit-when-idle); resolves with the exit code. */
  async run(): Promise<number> {
    const { ctx, options, identity, instance } = this.parts;
    const taken = await claimNodeName(ctx.layout, options.node, identity, instance, ctx.clock, ctx.log, options.cadence.nameClaimPollMs);
    if (taken.provenDead) this.parts.judge.markDead(taken.provenDead);
    let up = false;
    // from here on, whatever fails (a --listen address in use, a farm key refused) leaves nothing of this instance on the spool
    try {
      await this.start();
      up = true;
      await new ClaimLoop(this.parts, () => this.warm).run();
    } finally {
      await this.shutDown();
      if (up) this.log(`node ${options.node} down`);
    }
    return this.parts.state.nameLost ? 1 : 0;
  }

  /** Lease, key, server, warm path, first record, timers: the node is up when this resolves. */
  private async start(): Promise<void> {
    const { ctx, options, identity, instance, timers, record, keeper } = this.parts;
    // one refresh of this file keeps every lock of this instance alive (claim/mutex.ts)
    ctx.locks.useLease(leaseFileOf(ctx.layout, instance));
    this.farmKey = await readFarmKey(ctx.layout.root);
    this.server = await this.parts.listen(this.farmKey);
    this.broker = await this.parts.startWarm(this.server);
    // the first record goes out without CPU and memory figures, which follow within moments: claim first
    this.firstFigures = this.parts.sampler.sample().then((sys) => { record.setFigures(sys); record.writeSoon(); }, (error) => this.log(`sampling failed: ${(error as Error).message}`));
    await record.write();
    keeper.start();
    this.log(`node ${options.node} up: pid ${identity.pid}, ${options.slots} slot(s)${options.pool ? `, pool ${options.pool}` : ''}, spool ${ctx.layout.root}`);
    // once the name is ours: a node that refuses to start says so in one line
    this.log(this.parts.blenderLine);
    this.startTimers();
    if (options.idle) {
      // once before the first claim, then on its own timer
      await this.parts.presence.follow();
      timers.every(options.cadence.idleCheckMs, () => this.parts.presence.follow());
    }
    this.watch();
    await this.reap();
  }

  /** Undoes what start() made, as far as it got: every step is a no-op for a part never started. */
  private async shutDown(): Promise<void> {
    const { ctx, options, instance, timers, record, keeper } = this.parts;
    timers.clear();
    keeper.stop();
    await this.watcher?.close();
    await this.server?.close();
    await this.warm?.close();
    // the first figures' write must not put the record back after it is removed
    await this.firstFigures;
    await record.settle();
    // a broken-job mark still being written when the node leaves at once (--exit-when-idle) would be lost
    await this.parts.finder.broken.settle();
    await removeNodeRecord(ctx.layout, options.node, instance);
    releaseNodeName(ctx.layout, options.node, instance);
    ctx.locks.dropLease();
  }

  private startTimers(): void {
    const { ctx, options, timers, record, slots, jobWatch } = this.parts;
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

  /** A job ended: logged, its warm Blender let go, its job-done/failed hooks run (main.ts). */
  jobFinished(job: JobRecord, then: (job: JobRecord) => void): void {
    this.log(`job ${job.id} (${job.name}) finished`);
    this.warm?.pool.endJob(job.id, 'its job finished');
    then(job);
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
    // the kernel's events as they come: chokidar holds an unlink back 100 ms (to pair it with an add as a
    // rename), and a finished job's entry going is what a node leaving when idle waits for
    this.watcher.on('raw', () => waker.wake());
    this.watcher.on('all', () => {
      waker.wake();
      void jobWatch.check(true).catch((error) => this.log(`job watch: ${(error as Error).message}`));
    });
    this.watcher.on('error', (error) => this.log(`watch failed, polling only: ${(error as Error).message}`));
  }
}
