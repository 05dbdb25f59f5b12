// Claiming chunks: the mutex, the fenced claim protocol, transitions. Who is alive is liveness/'s.
export { LockManager, LOCK_STALE_MS, type HeldLock } from './mutex.js';
export { type FarmContext } from './context.js';
export { readChunk, locateChunk, commitChunk, createChunkFile } from './chunks.js';
export { tryClaim, endAttempt, changeChunk, type ClaimResult, type EndResult } from './protocol.js';
export { claimed, attemptEnded, retried, HISTORY_LIMIT, type AttemptEnd } from './transitions.js';
