// The farm's one clock: monotonic time for every liveness decision (invariant 4), wall time for display and
// what is wall time by nature. At the lowest line, as the peer protocol below the spool takes it too.

export interface Clock {
  /** Milliseconds on this process's monotonic clock; never compared across hosts. */
  monotonicMs(): number;
  /** Wall-clock time, for records people read. */
  wallIso(): string;
  /**
   * Wall-clock ms since the epoch: for what is wall time by nature (file times, schedule windows, message
   * stamps checked with a wide skew window), and, compared only with itself, to notice what the monotonic
   * clock does not count: a machine suspended (its monotonic clock stops, observers' clocks do not).
   */
  wallMs(): number;
}

export const systemClock: Clock = {
  monotonicMs: () => performance.now(),
  wallIso: () => new Date().toISOString(),
  wallMs: () => Date.now(),
};

