// Liveness, in one room (issue 24): who is alive, who may keep rendering, and who takes a dead node's
// chunks — every rule timed on one injected clock (clock.ts), every figure in one budget (budget.ts).
//   - budget.ts        the timing budget: heartbeat, holder deadline, observer window, margins
//   - clock.ts         the clock every decision reads (monotonic for spans, wall only to spot a suspend)
//   - change-watch.ts  "unchanged for a window", timed on the observer's own clock
//   - judge.ts         is a holder dead: pid on this kernel, heartbeat elsewhere, its own "not running"
//   - watchers.ts      which three nodes watch each holder (rendezvous hashing)
//   - idle-nodes.ts    idle nodes die too: their records watched by the same three
//   - holding-marks.ts nodes/.holding/: who may hold chunks, so only they are watched closely
//   - lease.ts         a node's hook lease, renewed after each heartbeat read back
//   - keeper.ts        a holder's side: renews its lease, notices stalls and suspends, checks its claims
//   - own-claims.ts    a node's own claims against what it runs: only a positive ENOENT means gone
//   - end-retry.ts     an attempt's end recorded despite a passing fault
// The guard that enforces a lease without renderd is the hook launcher (hooks/launcher.pl).
export * from './budget.js';
export { systemClock, sleep, type Clock } from './clock.js';
export { ChangeWatch } from './change-watch.js';
export { HolderJudge, type Verdict, type SocketAnswer } from './judge.js';
export { WatchedHolders, watchesHolder, WATCHERS_PER_HOLDER } from './watchers.js';
export { IdleNodeWatch } from './idle-nodes.js';
export { holdingDir, makeHoldingMark, removeHoldingMark, parseHoldingMark, type HoldingMark } from './holding-marks.js';
export { ClaimKeeper } from './keeper.js';
export { OwnClaims, claimPresence, type HeldChunk } from './own-claims.js';
export { endWithRetry, tryEnd, type PendingEnd } from './end-retry.js';
export { LEASE_EXPIRED, HookLeases, hookLeases, renewHookLease, hookLeaseValid, dropHookLease } from './lease.js';
