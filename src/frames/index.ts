// Frame specs and chunking: pure functions, no I/O.
export { parseFrameSpec, formatFrameSpec, describeFrames, MAX_FRAMES, type FrameRun } from './spec.js';
export { splitIntoChunks, chunkId, DEFAULT_CHUNK_SIZE } from './chunks.js';
