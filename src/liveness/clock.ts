// Time as the farm may use it: a monotonic clock for every liveness decision (invariant 4),
// wall time only for display.

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

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
