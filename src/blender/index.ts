// Blender knowledge the farm needs without running Blender: pure functions, no I/O.
// - where Blender writes each frame (for `render show`, --no-overwrite bookkeeping, post-check)
// - what a line of Blender's output says about a chunk's progress
// The hooks that run Blender live in hooks/blender/ (render-blender, post-check).
export {
  expectedOutputPath, resolveBlenderPath, replaceFrameDigits, normalizeOutputFormat, formatArgument,
  isMovieFormat, DEFAULT_FRAME_DIGITS,
} from './outputs.js';
export { initialProgress, reduceProgress, progressOfLog, parsePeakMemoryMB, type ChunkProgress } from './progress.js';
