// A tiled frame's preview as its tiles land: every tile file there is so far, its overscan cropped, shrunk
// and laid in place on a black frame of the preview's size. Each tile chunk recomposes from all the tile
// files present rather than adding its own to the last preview: two tiles landing at once on two nodes
// would otherwise each draw over the other's, and the last tile's preview would miss one.
import fs from 'node:fs/promises';
import sharp from 'sharp';
import { allTiles, type PixelBox, type TileGrid } from '../tiles/geometry.js';
import { openFrame, writePreview } from './make.js';
import { PREVIEW_WIDTH } from './paths.js';

export interface TiledPreviewTask {
  grid: Pick<TileGrid, 'cols' | 'rows' | 'overscan' | 'width' | 'height'>;
  /** Each tile's file for this frame, in tile order (absent files are tiles still to come). */
  files: readonly string[];
}

/** Where a kept box lands in a preview `scale` times the frame's size: whole pixels, tiles abutting. */
export function scaledBox(box: PixelBox, scale: number): PixelBox {
  return { x0: Math.round(box.x0 * scale), y0: Math.round(box.y0 * scale), x1: Math.round(box.x1 * scale), y1: Math.round(box.y1 * scale) };
}

/** The tiles drawn so far, in tile order: the number drawn (0: no preview written). */
export async function composeTilePreview(task: TiledPreviewTask, dest: string): Promise<number> {
  const { grid } = task;
  const scale = Math.min(1, PREVIEW_WIDTH / grid.width);
  const [width, height] = [Math.max(1, Math.round(grid.width * scale)), Math.max(1, Math.round(grid.height * scale))];
  const layers: sharp.OverlayOptions[] = [];
  for (const tile of allTiles(grid as TileGrid)) {
    const file = task.files[tile.index];
    if (!file || !(await fs.stat(file).catch(() => undefined))?.isFile()) continue;
    const at = scaledBox(tile.keep, scale);
    if (at.x1 <= at.x0 || at.y1 <= at.y0) continue;
    const image = await openFrame(file);
    const { render, keep } = tile;
    const meta = await image.metadata();
    // a file of another size is not this tile's render: left black rather than drawn shifted
    if (meta.width !== render.x1 - render.x0 || meta.height !== render.y1 - render.y0) continue;
    const input = await image.flatten({ background: '#000000' }).toColourspace('srgb')
      .extract({ left: keep.x0 - render.x0, top: keep.y0 - render.y0, width: keep.x1 - keep.x0, height: keep.y1 - keep.y0 })
      .resize({ width: at.x1 - at.x0, height: at.y1 - at.y0, fit: 'fill' }).removeAlpha().png().toBuffer();
    layers.push({ input, left: at.x0, top: at.y0 });
  }
  if (layers.length === 0) return 0;
  const png = await sharp({ create: { width, height, channels: 3, background: '#000000' } }).composite(layers).png({ compressionLevel: 6 }).toBuffer();
  await writePreview(dest, png);
  return layers.length;
}
