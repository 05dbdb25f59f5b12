// The previews of one chunk's frames: where Blender wrote each frame (the rules of post-check), then
// one preview each. Never throws: a frame without a preview is a line in the node's log, not a failure.
import fs from 'node:fs/promises';
import path from 'node:path';
import { expectedOutputPath, isMovieFormat } from '../blender/outputs.js';
import { makePreview, PREVIEWABLE } from './make.js';
import type { TileGrid } from '../tiles/geometry.js';

export interface ChunkPreviewTask {
  /** The job's folder: Blender's working directory, so relative outputs resolve from it. */
  jobDir: string;
  previewsDir: string;
  output?: string;
  format?: string;
  file?: string;
  frames: readonly number[];
  /** A tile chunk: the frame's preview is composed of every tile landed so far (previews/tiles.ts). */
  tiled?: { grid: TileGrid; files: Record<string, readonly string[]> };
}

export interface ChunkPreviewResult { written: number[]; skipped: { frame: number; reason: string }[] }

export async function previewChunk(task: ChunkPreviewTask, previewPath: (frame: number) => string): Promise<ChunkPreviewResult> {
  const result: ChunkPreviewResult = { written: [], skipped: [] };
  if (!task.output || !task.file || isMovieFormat(task.format)) {
    for (const frame of task.frames) result.skipped.push({ frame, reason: !task.output ? 'no output pattern' : 'a movie output' });
    return result;
  }
  for (const frame of task.frames) {
    try {
      if (task.tiled) {
        const { composeTilePreview } = await import('./tiles.js');
        const files = (task.tiled.files[frame] ?? []).map((f) => path.resolve(task.jobDir, f));
        if (await composeTilePreview({ grid: task.tiled.grid, files }, previewPath(frame))) result.written.push(frame);
        else result.skipped.push({ frame, reason: 'no tile file found' });
        continue;
      }
      const source = await frameFile(task, frame);
      if (!source) { result.skipped.push({ frame, reason: 'no output file found' }); continue; }
      if (!PREVIEWABLE.test(source)) { result.skipped.push({ frame, reason: `${path.extname(source) || 'no extension'}: no preview for this format` }); continue; }
      await makePreview(source, previewPath(frame));
      result.written.push(frame);
    } catch (error) {
      result.skipped.push({ frame, reason: (error as Error).message });
    }
  }
  return result;
}

/** The frame's file; with the scene's own format (no extension known), the first file of that stem. */
async function frameFile(task: ChunkPreviewTask, frame: number): Promise<string | undefined> {
  const expected = expectedOutputPath(task.output!, frame, task.format, task.file!);
  if (!expected) return undefined;
  const file = path.resolve(task.jobDir, expected);
  if (task.format) return (await fs.stat(file).catch(() => undefined))?.isFile() ? file : undefined;
  const names = await fs.readdir(path.dirname(file)).catch(() => [] as string[]);
  const found = names.sort().find((n) => n.startsWith(`${path.basename(file)}.`) && PREVIEWABLE.test(n));
  return found ? path.join(path.dirname(file), found) : undefined;
}
