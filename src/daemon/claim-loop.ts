// The node's rounds: control, the claim gate, then its slots — grant the chunk claimed ahead, claim, or
// rest until woken or polled. A failed round costs that round only; decisions are logged on change.
import type { Holder } from '../spool/records.js';
import type { WarmBroker } from '../warm/index.js';
import { RunningChunk } from './chunk/chunk-run.js';
import { claimGate, describeGate, slotStep } from './claim-gate.js';
import type { NodeParts } from './parts.js';

export class ClaimLoop {
  /** The last round ended with a poll nobody woke us for: the finder looks only at what changed on the spool. */
  private polled = false;
  /** The claim gate as last described, and whether the last round rested: decisions are logged on change. */
  private lastGate = '';
  private rested = false;

  constructor(private readonly parts: NodeParts, private readonly warm: () => WarmBroker | undefined) {}

  private get log() { return this.parts.ctx.log; }

  /** Rounds until one says exit (stopping with nothing running, or --exit-when-idle with nothing left). */
  async run(): Promise<void> {
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
      // active/ is listed again when something other than our own chunks woke us (else its stamp says if it changed)
      const claimed = await finder.claimNext(this.holder(), { poll, relist: waker.takeNews() });
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
    // one line per rest that is news (woken, or after work), none per quiet poll
    if (!poll || !this.rested) this.parts.decide(`rest: ${gate.open ? (step === 'claim' ? 'nothing to claim' : 'slots full') : gate.reason}, ${slots.size} running`);
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
    this.warm()?.pool.retainJobs(slots.jobIds());
    record.writeSoon();
    chunk.run(() => waker.wakeForOwnChunk())
      .catch((error) => this.log(`chunk ${key}: ${(error as Error).stack ?? error}`))
      .finally(() => {
        slots.delete(chunk);
        if (chunk.endedWell) durations.record(chunk.job.id, ctx.clock.monotonicMs() - chunk.grantedMs!);
        else this.giveBackAhead(chunk.job.id);
        record.writeSoon();
        waker.wakeForOwnChunk();
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

  private holder(): Holder {
    const { identity, options, instance } = this.parts;
    return { node: options.node, instance, host: identity.host, bootId: identity.bootId, pidns: identity.pidns, pid: identity.pid, pidStart: identity.pidStart };
  }
}
