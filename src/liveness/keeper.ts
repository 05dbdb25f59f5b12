// How a node keeps its claims honest (issue 15, items 1 and 4): it renews its hooks' lease only after a
// heartbeat it wrote reads back as written, timed from the start of that write (budget.ts); it
// notices when its own event loop was stalled, and then, and every RECONCILE_MS, compares its claims in
// running/ with what it really runs (own-claims.ts). A node whose lease ran out checks its claims before
// it renews the lease, so no hook of a chunk taken over meanwhile starts again.
import type { FarmContext } from '../claim/context.js';
import { HOLDER_DEADLINE_MS, RECONCILE_MS, STALL_MS, STALL_TICK_MS } from './budget.js';
import { readInfoFile } from '../spool/atomic.js';
import { parseNodeRecord, type NodeRecord } from '../spool/records.js';
import { hookLeases, type HookLeases } from './lease.js';
import { OwnClaims, type HeldChunk } from './own-claims.js';
import { hasHoldingMark, makeHoldingMark, removeHoldingMark, type HoldingMark } from './holding-marks.js';
import type { PendingEnd } from './end-retry.js';


export interface KeeperDeps {
  ctx: FarmContext;
  /** This renderd process: the lease key, and the instance its claims name. */
  instance: string;
  /** This node's name: its holding mark (nodes/holding.ts) is `<node>~<instance>`. */
  node: string;
  held: () => Iterable<HeldChunk>;
  /** Where its lease is renewed: this process's (its hooks' guards listen there) unless a test says. */
  leases?: HookLeases;
}

export class ClaimKeeper {
  private readonly own: OwnClaims;
  /** When the lease runs out, on ctx.clock; -Infinity before the first renewal. */
  private deadlineMs = -Infinity;
  private timers: NodeJS.Timeout[] = [];
  private reconciling: Promise<void> = Promise.resolve();
  private lastTickMs = 0;
  private readBackFailed = false;
  /** Its claims must be checked before the lease is renewed (after a suspend). */
  private mustReconcile = false;
  private readonly mark: HoldingMark;
  /** Whether our holding mark is on the spool (as far as we made and checked it). */
  private marked = false;

  constructor(private readonly deps: KeeperDeps) {
    this.own = new OwnClaims(deps.ctx, deps.instance, deps.held);
    this.mark = { node: deps.node, instance: deps.instance };
  }

  /**
   * Call right before trying a claim: observers must watch this node from now on (its mark is made first,
   * so no claim of it is ever unwatched), and its own claims get checked until it is idle again. False when
   * the mark cannot be made: then no claim may be tried.
   */
  claimTried(job?: string): boolean {
    this.own.claimTried(job);
    if (this.marked) return true;
    try {
      makeHoldingMark(this.deps.ctx.layout, this.mark);
    } catch (error) {
      this.deps.ctx.log(`holding mark could not be made, no claim tried: ${(error as Error).message}`);
      return false;
    }
    this.marked = true;
    return true;
  }

  start(): void {
    const { clock } = this.deps.ctx;
    this.lastTickMs = clock.monotonicMs();
    let lastWallMs = clock.wallMs?.() ?? 0;
    this.timers.push(setInterval(() => {
      const now = clock.monotonicMs();
      const wall = clock.wallMs?.() ?? 0;
      const lateMs = now - this.lastTickMs - STALL_TICK_MS;
      // suspended, the monotonic clock stood still while the wall clock (and every observer) went on
      const unseenMs = (wall - lastWallMs) - (now - this.lastTickMs);
      this.lastTickMs = now;
      lastWallMs = wall;
      if (unseenMs >= STALL_MS) {
        this.deps.ctx.log(`this machine was suspended for about ${(unseenMs / 1000).toFixed(1)} s: its lease counts as run out, checking its claims before taking work again`);
        this.deadlineMs = -Infinity;
        this.mustReconcile = true;
        void this.reconcile(true);
        return;
      }
      if (lateMs < STALL_MS) return;
      this.deps.ctx.log(`this node was stalled for ${(lateMs / 1000).toFixed(1)} s (stopped, swapping or a hung read): checking its claims`);
      void this.reconcile(true);
    }, STALL_TICK_MS));
    this.timers.push(setInterval(() => void this.reconcile(), RECONCILE_MS));
  }

  stop(): void {
    for (const timer of this.timers) clearInterval(timer);
    this.timers = [];
    (this.deps.leases ?? hookLeases).drop(this.deps.instance);
    // an end left unrecorded keeps the mark: observers then see the record gone and give the chunk back
    if (this.own.nothingPending()) this.unmark();
  }

  private unmark(): void {
    if (!this.marked) return;
    this.marked = false;
    try {
      removeHoldingMark(this.deps.ctx.layout, this.mark);
    } catch (error) {
      this.deps.ctx.log(`holding mark could not be removed: ${(error as Error).message}`);
    }
  }

  /** Whether this node may take new work: it has shown it is alive recently enough. */
  leaseValid(): boolean {
    return this.deps.ctx.clock.monotonicMs() < this.deadlineMs;
  }

  /** An end its chunk could not record: the reconciler keeps trying. */
  leave(pending: PendingEnd): void {
    this.own.leave(pending);
  }

  /**
   * Call after writing the node's record (`file`), with the time the write began: the record is read back,
   * and if it is ours as written, the lease runs HOLDER_DEADLINE_MS from that time.
   */
  async heartbeatWritten(file: string, written: Pick<NodeRecord, 'instance' | 'beat'>, startedMs: number): Promise<void> {
    const { ctx, instance } = this.deps;
    let back: NodeRecord | undefined;
    try {
      back = parseNodeRecord(await readInfoFile(file), file);
    } catch (error) {
      this.readBackOnce(`could not be read back: ${(error as Error).message}`);
      return;
    }
    if (back.instance !== written.instance || back.beat !== written.beat) {
      this.readBackOnce(`reads back as instance ${back.instance} beat ${back.beat}, not as written`);
      return;
    }
    this.readBackFailed = false;
    this.keepMark();
    const deadline = startedMs + HOLDER_DEADLINE_MS;
    if (deadline <= this.deadlineMs) return;
    if (this.mustReconcile || (this.deadlineMs !== -Infinity && ctx.clock.monotonicMs() >= this.deadlineMs)) {
      if (!this.mustReconcile) ctx.log('this node\'s lease had run out (its renders were stopped): checking its claims before taking work again');
      this.mustReconcile = false;
      await this.reconcile(true);
    }
    this.deadlineMs = deadline;
    const validMs = deadline - ctx.clock.monotonicMs();
    if (validMs > 0) (this.deps.leases ?? hookLeases).renew(instance, validMs);
  }

  /**
   * One pass at a time: claims gone are killed first (at once, no I/O wait), then own entries settled. `full`:
   * every claim looked up by name and in the other states (after a stall, a suspend or a lapsed lease).
   */
  reconcile(full = false): Promise<void> {
    this.reconciling = this.reconciling.then(async () => {
      try {
        this.own.killUnclaimed(full);
        await this.own.settleOwnEntries();
        // no await between the check and the removal: a claim tried meanwhile would make the mark again
        if (this.own.quiet()) this.unmark();
      } catch (error) {
        this.deps.ctx.log(`checking this node's claims failed: ${(error as Error).message}`);
      }
    });
    return this.reconciling;
  }

  /** While marked, the mark is checked at each beat: one removed by mistake (a reaper's stale view) is made again. */
  private keepMark(): void {
    if (!this.marked) return;
    try {
      if (hasHoldingMark(this.deps.ctx.layout, this.mark)) return;
      makeHoldingMark(this.deps.ctx.layout, this.mark);
      this.deps.ctx.log('holding mark was missing: made again');
    } catch (error) {
      this.deps.ctx.log(`holding mark could not be checked: ${(error as Error).message}`);
    }
  }

  private readBackOnce(what: string): void {
    if (!this.readBackFailed) this.deps.ctx.log(`heartbeat ${what}: lease not renewed`);
    this.readBackFailed = true;
  }
}
