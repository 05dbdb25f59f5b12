// Blender knowledge the farm needs without running Blender: pure functions, no I/O.
// - where Blender writes each frame (for `render show`, --no-overwrite bookkeeping, post-check)
// The hooks that run Blender live in hooks/blender/ (render-blender, post-check).
export {
  expectedOutputPath, resolveBlenderPath, replaceFrameDigits, normalizeOutputFormat, formatArgument,
  isMovieFormat, DEFAULT_FRAME_DIGITS,
} from './outputs.js';
