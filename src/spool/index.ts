// The spool: the one shared directory that coordinates the farm. Layout, atomic I/O, records.
export { SpoolLayout, CHUNK_STATES, JOB_SUBDIRS, isSafeName, type ChunkState } from './layout.js';
export { writeFileAtomic, writeAndRename, readInfoFile, listNames, hasEntries, isMissing, tempName } from './atomic.js';
export * from './records.js';
export { quarantineFile, type Log } from './quarantine.js';
export { openSpool } from './open.js';
export { resolveSpoolDir } from './location.js';
