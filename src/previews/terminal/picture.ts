// A preview file made ready for the terminal: shrunk to fit `cols` × `rows` cells (half blocks: two
// pixels a cell, stacked; sixel: about 10 × 20 pixels a cell; kitty: the file as it is), decoded by
// sharp on libuv's threads, so the caller's loop keeps going.
import fs from 'node:fs/promises';
import sharp from 'sharp';
import { halfBlockRows } from './blocks.js';
import type { Graphics } from './detect.js';
import { kittyImage } from './kitty.js';
import { sixelImage } from './sixel.js';

/** Text rows (half blocks) or one escape sequence that draws at the cursor (kitty, sixel). */
export interface Picture { cols: number; rows: number; lines?: string[]; escape?: string }

const CELL_PX = { width: 10, height: 20 };

export async function loadPicture(file: string, cols: number, rows: number, graphics: Graphics): Promise<Picture> {
  const meta = await sharp(file).metadata();
  const aspect = (meta.width ?? 1) / (meta.height ?? 1);
  // a cell is about twice as tall as wide: c cells wide is c / aspect / 2 cells tall
  const fitCols = Math.max(1, Math.min(cols, Math.floor(rows * 2 * aspect)));
  const fitRows = Math.max(1, Math.min(rows, Math.ceil(fitCols / aspect / 2)));
  if (graphics.protocol === 'kitty') return { cols: fitCols, rows: fitRows, escape: kittyImage(await fs.readFile(file), fitCols, fitRows) };
  const size = graphics.protocol === 'sixel' ? { width: fitCols * CELL_PX.width, height: fitRows * CELL_PX.height } : { width: fitCols, height: fitRows * 2 };
  const { data, info } = await sharp(file).flatten({ background: '#000000' }).removeAlpha().resize({ ...size, fit: 'inside' }).raw().toBuffer({ resolveWithObject: true });
  const pixels = { width: info.width, height: info.height, data };
  if (graphics.protocol === 'sixel') return { cols: fitCols, rows: fitRows, escape: sixelImage(pixels) };
  const lines = halfBlockRows(pixels, graphics.colour === 'truecolor');
  return { cols: info.width, rows: lines.length, lines };
}
