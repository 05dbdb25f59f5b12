// The two clocks the peer protocol reads, passed in so that decisions stay pure and testable.
import { performance } from 'node:perf_hooks';

export interface PeerClock {
  /** Wall time, ms since the epoch: only ever used with the wide skew window (see replay.ts). */
  wallMs(): number;
  /** This process's monotonic clock, ms: for every duration measured locally. */
  monoMs(): number;
}

/** A reading of both clocks at one instant. */
export interface ClockReading {
  wallMs: number;
  monoMs: number;
}

export const systemClock: PeerClock = Object.freeze({
  wallMs: () => Date.now(),
  monoMs: () => performance.now(),
});

export function readClock(clock: PeerClock): ClockReading {
  return { wallMs: clock.wallMs(), monoMs: clock.monoMs() };
}
