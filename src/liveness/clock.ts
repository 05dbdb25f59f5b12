// Time as the farm may use it: a monotonic clock for every liveness decision (invariant 4), wall time only
// for display. The interface lives at the lowest line (src/clock.ts), where the peer protocol takes it too.
export { systemClock, type Clock } from '../clock.js';

export const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));
