// Cropping the overscan and laying each tile's kept pixels into the frame: pure, byte for byte. PNG rows
// hold pixels one after another; an EXR line holds each channel's samples in turn.
import type { RasterImage } from './png.js';
import { BYTES_PER_SAMPLE, lineBytes, type ExrImage } from '../exr/codec.js';
import { allTiles, type PixelBox, type Tile, type TileGrid } from './geometry.js';

function boxSize(box: PixelBox): string {
  return `${box.x1 - box.x0}x${box.y1 - box.y0}`;
}

/** Every tile must be the size of the box it rendered, or the merge would shift pixels. */
function checkTileSize(tile: Tile, width: number, height: number, name: string): void {
  if (width !== tile.render.x1 - tile.render.x0 || height !== tile.render.y1 - tile.render.y0) {
    throw new Error(`${name} is ${width}x${height}, expected ${boxSize(tile.render)} (tile ${tile.index})`);
  }
}

export function assemblePng(grid: TileGrid, images: readonly RasterImage[], names: readonly string[]): RasterImage {
  const first = images[0];
  const bpp = first.channels * first.bytesPerSample;
  const data = Buffer.alloc(grid.width * grid.height * bpp);
  allTiles(grid).forEach((tile, i) => {
    const image = images[i];
    checkTileSize(tile, image.width, image.height, names[i]);
    if (image.channels !== first.channels || image.bytesPerSample !== first.bytesPerSample) throw new Error(`${names[i]} has other channels or depth than ${names[0]}`);
    const { keep, render } = tile;
    for (let y = keep.y0; y < keep.y1; y++) {
      const from = ((y - render.y0) * image.width + (keep.x0 - render.x0)) * bpp;
      image.data.copy(data, (y * grid.width + keep.x0) * bpp, from, from + (keep.x1 - keep.x0) * bpp);
    }
  });
  return { ...first, width: grid.width, height: grid.height, data };
}

export function assembleExr(grid: TileGrid, images: readonly ExrImage[], names: readonly string[]): ExrImage {
  const first = images[0];
  const channelNames = first.channels.map((c) => `${c.name}:${c.type}`).join(',');
  const outLine = lineBytes(first.channels, grid.width);
  const lines = Buffer.alloc(outLine * grid.height);
  allTiles(grid).forEach((tile, i) => {
    const image = images[i];
    checkTileSize(tile, image.width, image.height, names[i]);
    if (image.channels.map((c) => `${c.name}:${c.type}`).join(',') !== channelNames) throw new Error(`${names[i]} has other channels than ${names[0]}`);
    const { keep, render } = tile;
    const tileLine = lineBytes(image.channels, image.width);
    for (let y = keep.y0; y < keep.y1; y++) {
      let [inAt, outAt] = [(y - render.y0) * tileLine, y * outLine];
      for (const channel of image.channels) {
        const size = BYTES_PER_SAMPLE[channel.type];
        const from = inAt + (keep.x0 - render.x0) * size;
        image.lines.copy(lines, outAt + keep.x0 * size, from, from + (keep.x1 - keep.x0) * size);
        inAt += size * image.width;
        outAt += size * grid.width;
      }
    }
  });
  return { ...first, width: grid.width, height: grid.height, lines };
}
