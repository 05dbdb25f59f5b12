// Tiled stills (issue 29): one frame split into tiles rendered as chunks of their own, then merged.
// geometry: tile boxes, overscan and Blender's render border (pure). plan: a tiled job's chunks, its
// tiles' paths and hook variables (pure). scene-check: whether the merge must finish the frame in Blender
// (denoising, edge-reading compositor nodes). submit: the tile job and its merge job. merge, assemble, png
// (and ../exr/codec): the merge chunk's work, byte for byte; composite: Blender finishing the merged frame.
export { parseTileSpec, parseOverscan, checkGrid, tileAt, allTiles, tileCount, renderBorder, frameSize, DEFAULT_OVERSCAN_PX, type TileGrid, type Tile, type PixelBox } from './geometry.js';
export { tileChunkFrames, tileIndexOfChunk, tileFolder, tileOutputPattern, tileEnvironment } from './plan.js';
export { planTiles, submitTiles, type SubmittedTiles } from './submit.js';
export { mergeFrame, mergePaths, MERGEABLE_FORMATS } from './merge.js';
export { seamingNodes, mergeCompositor, mergeNeedsOidn, SEAMING_NODES } from './scene-check.js';
export { compositeArgv, compositeFrame } from './composite.js';
