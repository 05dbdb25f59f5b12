// Time as the farm may use it: a monotonic clock for every liveness decision (invariant 4),
// wall time only for display.

export interface Clock {
  /** Milliseconds on this process's monotonic clock; never compared across hosts. */
  monotonicMs(): number;
  /** Wall-clock time, for records people read. */
  wallIso(): string;
}

export const systemClock: Clock = {
  monotonicMs: () => performance.now(),
  wallIso: () => new Date().toISOString(),
};

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
