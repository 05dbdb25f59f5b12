// Frame previews: a small PNG of every rendered frame on the spool (jobs/<job>/previews/), made by the
// node after a chunk's hooks succeed, read by `render show`, `render preview`, `render report` and the ui.
export { previewsDir, previewFile, previewName, listPreviews, latestPreview, PREVIEW_WIDTH, type PreviewEntry } from './paths.js';
export { previewChunk, type ChunkPreviewTask, type ChunkPreviewResult } from './chunk.js';
export { previewChunkInBackground, PREVIEW_TIMEOUT_MS } from './background.js';
export { makePreview, PREVIEWABLE } from './make.js';
export { decodeExr, type LinearImage } from './exr.js';
export { toneMap, srgbByte } from './tonemap.js';
export { writeChunkPreviews } from './for-chunk.js';
