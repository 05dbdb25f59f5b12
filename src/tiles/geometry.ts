// Tile geometry: which pixels each tile keeps, which it renders (kept box plus overscan), and the
// render border Blender is given for it. Pure functions of the frame size and the tile grid.
import { UsageError } from '../errors.js';

/** A box in pixels, top-left origin as image files store rows: x0 ≤ x < x1, y0 ≤ y < y1. */
export interface PixelBox { x0: number; y0: number; x1: number; y1: number }

export interface TileGrid {
  cols: number;
  rows: number;
  /** Pixels rendered beyond each kept edge (clamped to the frame), cropped at the merge. */
  overscan: number;
  /** The frame's size in pixels (resolution × percentage). */
  width: number;
  height: number;
  /** Set when Blender finishes the merged frame (denoising, edge-reading compositor nodes): see composite.ts. */
  compositor?: TileCompositor;
}

/** The merge runs the scene's compositor over the assembled frame, denoising it first when `denoise`. */
export interface TileCompositor {
  denoise: boolean;
  /** The job's format: the tiles are multilayer EXRs, the merged frame is written in this one. */
  format: string;
}

export interface Tile {
  index: number;
  col: number;
  row: number;
  /** The pixels this tile contributes to the merged frame. */
  keep: PixelBox;
  /** The pixels it renders: `keep` grown by the overscan, within the frame. */
  render: PixelBox;
}

/** Enough for Cycles' adaptive sampling window and the widest pixel filter (1.5 px Blackman-Harris, ×2). */
export const DEFAULT_OVERSCAN_PX = 16;
export const MAX_TILES_PER_SIDE = 64;

/** `4x4` → {cols: 4, rows: 4}; anything else is one line naming the flag. */
export function parseTileSpec(raw: string): { cols: number; rows: number } {
  const match = /^(\d{1,3})x(\d{1,3})$/i.exec(raw.trim());
  const [cols, rows] = match ? [Number(match[1]), Number(match[2])] : [0, 0];
  if (!match || cols < 1 || rows < 1 || cols > MAX_TILES_PER_SIDE || rows > MAX_TILES_PER_SIDE) {
    throw new UsageError(`--tiles '${raw}': expected COLSxROWS, each from 1 to ${MAX_TILES_PER_SIDE} (e.g. 4x4)`);
  }
  return { cols, rows };
}

export function parseOverscan(raw: string | undefined): number {
  if (raw === undefined) return DEFAULT_OVERSCAN_PX;
  if (!/^\d{1,5}$/.test(raw.trim())) throw new UsageError(`--overscan '${raw}': expected a whole number of pixels (e.g. 16)`);
  return Number(raw.trim());
}

/** The grid must fit the frame: every tile at least one pixel, and no overscan wider than a tile. */
export function checkGrid(grid: TileGrid): void {
  const { cols, rows, overscan, width, height } = grid;
  if (cols > width || rows > height) throw new UsageError(`--tiles ${cols}x${rows}: more tiles than the ${width}x${height} frame has pixels`);
  const tileW = Math.floor(width / cols);
  const tileH = Math.floor(height / rows);
  if (overscan > Math.min(tileW, tileH)) {
    throw new UsageError(`--overscan ${overscan}: larger than a tile (${tileW}x${tileH} px for ${cols}x${rows} tiles of a ${width}x${height} frame)`);
  }
}

/** Edges split the frame as evenly as whole pixels allow: edge i of n over size is floor(i·size/n). */
function edge(i: number, n: number, size: number): number {
  return Math.floor((i * size) / n);
}

export function tileCount(grid: Pick<TileGrid, 'cols' | 'rows'>): number {
  return grid.cols * grid.rows;
}

/** Tile `index`, row-major from the top-left. */
export function tileAt(grid: TileGrid, index: number): Tile {
  const col = index % grid.cols;
  const row = Math.floor(index / grid.cols);
  const keep = {
    x0: edge(col, grid.cols, grid.width), x1: edge(col + 1, grid.cols, grid.width),
    y0: edge(row, grid.rows, grid.height), y1: edge(row + 1, grid.rows, grid.height),
  };
  const o = grid.overscan;
  const render = {
    x0: Math.max(0, keep.x0 - o), x1: Math.min(grid.width, keep.x1 + o),
    y0: Math.max(0, keep.y0 - o), y1: Math.min(grid.height, keep.y1 + o),
  };
  return { index, col, row, keep, render };
}

export function allTiles(grid: TileGrid): Tile[] {
  return Array.from({ length: tileCount(grid) }, (_, i) => tileAt(grid, i));
}

/**
 * Blender's render border for a box: fractions with y up, as RenderData.border holds them. Blender
 * truncates border × size to whole pixels (render_init_from_main), so each edge sits half a pixel past
 * its pixel: the product lands mid-pixel and float rounding cannot move it to the neighbour.
 */
export function renderBorder(grid: TileGrid, box: PixelBox): [number, number, number, number] {
  const fx = (x: number) => Math.min(1, (x + 0.5) / grid.width);
  const fy = (y: number) => Math.min(1, (grid.height - y + 0.5) / grid.height);
  return [fx(box.x0), fy(box.y1), fx(box.x1), fy(box.y0)];
}

/** The frame size Blender renders: resolution scaled by its percentage, truncated (winx = xsch·size/100). */
export function frameSize(resolution: { x: number; y: number; percent: number }): { width: number; height: number } {
  return { width: Math.floor((resolution.x * resolution.percent) / 100), height: Math.floor((resolution.y * resolution.percent) / 100) };
}
