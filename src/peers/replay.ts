// Replay protection that never trusts another host's clock beyond a wide window (farm invariant 4).
//
// The threat: someone on the network who cannot read the spool (so has no farm key) records a
// valid frame and sends it again, e.g. a `node-control pause`. Two rules stop that:
//
// 1. Freshness, judged loosely: a frame's `ts` (the sender's wall clock) must lie within
//    ±TS_WINDOW_MS (15 min) of the receiver's wall clock. Nodes may differ by ±10 min, so
//    a 15 min window never rejects an honest peer; it only bounds how long a nonce must be
//    remembered. Nothing else is ever judged by comparing clocks across hosts.
// 2. Uniqueness: every accepted nonce (`id`, 128 random bits) is remembered, and a frame
//    whose id was seen is refused, whatever its ts.
//
// Forgetting: a nonce is dropped only when both (a) its ts is outside the window by the
// current wall clock, so the frame would now be refused as stale anyway, and (b) it has been
// held for at least TS_WINDOW_MS on the receiver's monotonic clock, so a wall clock stepped
// forward (then back) does not wipe the memory early. A wall clock stepped back only makes
// nonces live longer. Residual hole, accepted: a wall clock stepped forward by >15 min and
// back again after >15 min re-opens the window for frames seen before the first step.
//
// Bounded memory: at most maxEntries nonces (default 65,536, ~10 MB worst case), oldest
// evicted first. Only frames with a valid MAC reach the guard, so an outsider cannot flood
// it; overflowing it takes more than ~70 authenticated frames/s for 15 min, and the frames
// it would then forget early are counted in `evictedEarly` for the daemon to log.

import type { ClockReading } from './clock.js';

export const TS_WINDOW_MS = 15 * 60_000;
export const DEFAULT_MAX_NONCES = 65_536;

export type ReplayVerdict = 'fresh' | 'stale' | 'replayed';

export interface ReplayGuardOptions {
  windowMs?: number;
  maxEntries?: number;
}

interface Seen {
  ts: number;
  seenMonoMs: number;
}

export class ReplayGuard {
  readonly windowMs: number;
  readonly maxEntries: number;
  /** Nonces forgotten to make room while their frame could still have been accepted. */
  evictedEarly = 0;
  // A Map iterates in insertion order, i.e. by seenMonoMs: the oldest entry is always first.
  private readonly seen = new Map<string, Seen>();

  constructor({ windowMs = TS_WINDOW_MS, maxEntries = DEFAULT_MAX_NONCES }: ReplayGuardOptions = {}) {
    if (!(windowMs > 0)) throw new TypeError(`ReplayGuard windowMs must be a positive number of ms, got ${windowMs}`);
    if (!Number.isInteger(maxEntries) || maxEntries < 1) throw new TypeError(`ReplayGuard maxEntries must be a whole number ≥ 1, got ${maxEntries}`);
    this.windowMs = windowMs;
    this.maxEntries = maxEntries;
  }

  get size(): number {
    return this.seen.size;
  }

  /** Judges a frame's (id, ts) and, when fresh, remembers the id. */
  check(id: string, ts: number, now: ClockReading): ReplayVerdict {
    this.forgetExpired(now);
    if (Math.abs(ts - now.wallMs) > this.windowMs) return 'stale';
    if (this.seen.has(id)) return 'replayed';
    while (this.seen.size >= this.maxEntries) this.evictOldest(now);
    this.seen.set(id, { ts, seenMonoMs: now.monoMs });
    return 'fresh';
  }

  private canForget(entry: Seen, now: ClockReading): boolean {
    return now.monoMs - entry.seenMonoMs >= this.windowMs && entry.ts < now.wallMs - this.windowMs;
  }

  /** Drops expired entries from the oldest end; stops at the first one still needed (cheap, amortised O(1)). */
  private forgetExpired(now: ClockReading): void {
    for (const [id, entry] of this.seen) {
      if (!this.canForget(entry, now)) return;
      this.seen.delete(id);
    }
  }

  private evictOldest(now: ClockReading): void {
    const oldest = this.seen.entries().next();
    if (oldest.done) return;
    const [id, entry] = oldest.value;
    if (!this.canForget(entry, now)) this.evictedEarly++;
    this.seen.delete(id);
  }
}
