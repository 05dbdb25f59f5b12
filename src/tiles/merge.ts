// The merge chunk's work for one frame: read every tile the tile job wrote, assemble them, and write
// the frame where and as the job would have written it (a temp file renamed in: never half a frame).
// Tiles of passes (grid.compositor) are assembled into one multilayer EXR that Blender finishes.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { JobRecord } from '../spool/records.js';
import { expectedOutputPath } from '../blender/outputs.js';
import { tileCount, type TileGrid } from './geometry.js';
import { tileFolder, tileOutputPattern } from './plan.js';
import { encodePng, readPng } from './png.js';
import { decodeExrImage, encodeExrImage } from '../exr/codec.js';
import { assembleExr, assemblePng } from './assemble.js';

/** The formats a merge writes exactly as Blender would have, by our own codecs (png.ts, ../exr/codec.ts). */
export const MERGEABLE_FORMATS: readonly string[] = ['PNG', 'OPEN_EXR', 'OPEN_EXR_MULTILAYER'];

export interface MergedFrame { frame: number; file: string; tiles: number }

/** Where tile `index` of `frame` is, and where the merged frame goes. */
export function mergePaths(job: JobRecord, frame: number): { tiles: string[]; output: string } {
  const grid = job.tiles!;
  const folder = tileFolder(job.output!, job.file!, job.id);
  const count = tileCount(grid);
  const tiles = Array.from({ length: count }, (_, i) => expectedOutputPath(tileOutputPattern(folder, i, count), frame, job.format, job.file!)!);
  const format = grid.compositor?.format ?? job.format;
  return { tiles, output: expectedOutputPath(job.output!, frame, format, job.file!)! };
}

export async function mergeFrame(job: JobRecord, frame: number): Promise<MergedFrame> {
  if (!job.tiles || !job.output || !job.file) throw new Error(`job ${job.id} is not a tiled job`);
  const grid: TileGrid = job.tiles;
  const { tiles, output } = mergePaths(job, frame);
  const encoded = job.format === 'PNG' ? await mergePng(grid, tiles) : await mergeExr(grid, tiles);
  await fs.mkdir(path.dirname(output), { recursive: true });
  const temp = path.join(path.dirname(output), `.${path.basename(output)}.merge-${process.pid}`);
  const passes = `${temp}.exr`;
  try {
    if (grid.compositor) {
      await fs.writeFile(passes, encoded);
      const { compositeFrame } = await import('./composite.js');
      const blender = process.env.BLENDER || 'blender';
      const names = { ...(job.scene ? { scene: job.scene } : {}), ...(job.viewLayer ? { viewLayer: job.viewLayer } : {}) };
      await compositeFrame({ blender, file: job.file, ...names, merged: passes, output: temp }, grid.compositor);
    } else {
      await fs.writeFile(temp, encoded);
    }
    await fs.rename(temp, output);
  } finally {
    await Promise.all([fs.rm(temp, { force: true }), fs.rm(passes, { force: true })]);
  }
  return { frame, file: output, tiles: tiles.length };
}

async function mergePng(grid: TileGrid, files: string[]): Promise<Buffer> {
  const images = await Promise.all(files.map(readPng));
  return encodePng(assemblePng(grid, images, files));
}

async function mergeExr(grid: TileGrid, files: string[]): Promise<Buffer> {
  const images = await Promise.all(files.map(async (file) => decodeExrImage(await fs.readFile(file), file)));
  return encodeExrImage(assembleExr(grid, images, files));
}
