// A reading of the farm's one clock (src/clock.ts) at one instant, as the peer protocol's decisions
// take it: wall time only with the wide skew window (replay.ts), the monotonic clock for local durations.
import type { Clock } from '../clock.js';

export { systemClock, type Clock } from '../clock.js';

/** Both clocks read at one instant. */
export interface ClockReading {
  wallMs: number;
  monoMs: number;
}

export function readClock(clock: Clock): ClockReading {
  return { wallMs: clock.wallMs(), monoMs: clock.monotonicMs() };
}
