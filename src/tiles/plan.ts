// Which chunks a tiled job has, where each tile's file goes, and what its render hook is told: pure.
// A tiled job's chunk N (1-based id) renders tile (N-1) mod T of its one frame, T = cols × rows.
import path from 'node:path';
import type { ChunkRecord, JobRecord } from '../spool/records.js';
import { resolveBlenderPath } from '../blender/outputs.js';
import { renderBorder, tileAt, tileCount, type TileGrid } from './geometry.js';

/** Frames × tiles, frame-major: every tile of the first frame comes before the second frame's. */
export function tileChunkFrames(frames: readonly number[], grid: Pick<TileGrid, 'cols' | 'rows'>): number[][] {
  const count = tileCount(grid);
  return frames.flatMap((frame) => Array.from({ length: count }, () => [frame]));
}

/** The tile a chunk renders, from its id (chunkId: index + 1, zero-padded). */
export function tileIndexOfChunk(chunkId: string, grid: Pick<TileGrid, 'cols' | 'rows'>): number {
  return (Number.parseInt(chunkId, 10) - 1) % tileCount(grid);
}

/** Tiles live beside the frame they make, in a folder of their own job: `<dir>/.tiles-<job>/`. */
export function tileFolder(finalOutput: string, blendFile: string, jobId: string): string {
  const resolved = resolveBlenderPath(finalOutput, blendFile);
  const dir = resolved.endsWith('/') ? resolved : path.posix.dirname(resolved);
  return path.posix.join(dir, `.tiles-${jobId}`);
}

/** The output pattern of one tile: `t03_####`, the format's extension added by Blender. */
export function tileOutputPattern(folder: string, tileIndex: number, tiles: number): string {
  return path.posix.join(folder, `t${String(tileIndex).padStart(String(tiles - 1).length, '0')}_####`);
}

/**
 * What a tile chunk's hooks see besides the usual: RENDER_OUTPUT is the tile's own file, RENDER_BORDER
 * the render border (min x, min y, max x, max y; fractions, y up) and RENDER_TILE `index/count`; when
 * Blender finishes the merged frame, RENDER_TILE_PASSES (`denoise`: Cycles' denoising passes too, or `all`)
 * has the tile written as a float multilayer EXR of every pass, denoising and the compositor off.
 * `finalOutput` is the job's output as this node sees it (project roots already mapped).
 */
export function tileEnvironment(job: JobRecord, chunk: ChunkRecord, finalOutput: string, blendFile: string): Record<string, string> {
  if (!job.tiles) return {};
  const grid = job.tiles;
  const index = tileIndexOfChunk(chunk.id, grid);
  const tile = tileAt(grid, index);
  return {
    RENDER_OUTPUT: tileOutputPattern(tileFolder(finalOutput, blendFile, job.id), index, tileCount(grid)),
    RENDER_BORDER: renderBorder(grid, tile.render).map((f) => f.toFixed(9)).join(','),
    RENDER_TILE: `${index}/${tileCount(grid)}`,
    ...(grid.compositor ? { RENDER_TILE_PASSES: grid.compositor.denoise ? 'denoise' : 'all' } : {}),
  };
}
