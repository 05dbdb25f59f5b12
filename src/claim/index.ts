// Claiming chunks: the mutex, the fenced claim protocol, skew-free liveness, transitions.
export { systemClock, sleep, type Clock } from './clock.js';
export { ChangeWatch } from './stale.js';
export { LockManager, LOCK_STALE_MS, type HeldLock } from './mutex.js';
export { type FarmContext } from './context.js';
export { readChunk, locateChunk, commitChunk, createChunkFile } from './chunks.js';
export { tryClaim, endAttempt, changeChunk, type ClaimResult, type EndResult } from './protocol.js';
export { claimed, attemptEnded, retried, HISTORY_LIMIT, type AttemptEnd } from './transitions.js';
export { HolderJudge, HEARTBEAT_MS, NODE_SILENT_MS, NODE_SUSPECT_MS, type Verdict, type SocketAnswer } from './liveness.js';
