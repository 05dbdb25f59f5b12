// Reading .blend files without Blender: version, compression, REND blocks and every scene's
// render settings, decoded through the file's own SDNA.
export { readBlendInfo } from './read.js';
export { parseBlend } from './parse.js';
export type { BlendInfo, BlendScene, BlendResolution, RenderScene, BlendCompression, BlendEndian, BlendHeader } from './types.js';
