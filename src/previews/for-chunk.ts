// The node's side: after a Blender chunk's hooks succeed, its frames' previews, off the main loop.
// Only failures are logged (one line per chunk); they never change the chunk's outcome.
import type { FarmContext } from '../claim/context.js';
import type { ChunkRecord, JobRecord } from '../spool/records.js';
import { previewChunkInBackground } from './background.js';
import { previewsDir } from './paths.js';
import type { ChunkPreviewTask } from './chunk.js';
import { mergePaths } from '../tiles/merge.js';

/** Previews are for people watching, never worth a render's time: they run at the lowest priority. */
export const PREVIEW_NICE = 19;

/** The previews of `frames` (by default all the chunk's); failures are logged, never thrown. */
export async function writeChunkPreviews(ctx: FarmContext, job: JobRecord, chunk: ChunkRecord, frames: number[] = chunk.frames): Promise<void> {
  if (job.kind !== 'blender' || !job.output || frames.length === 0) return;
  try {
    const result = await previewChunkInBackground({
      jobDir: ctx.layout.jobDir(job.id), previewsDir: previewsDir(ctx.layout, job.id),
      output: job.output, format: job.format, file: job.file, frames, ...tiledTask(job, frames),
    }, undefined, PREVIEW_NICE);
    if (result.skipped.length > 0) {
      const first = result.skipped[0];
      ctx.log(`chunk ${job.id}/${chunk.id}: no preview for ${result.skipped.length} frame(s) (frame ${first.frame}: ${first.reason})`);
    }
  } catch (error) {
    ctx.log(`chunk ${job.id}/${chunk.id}: previews not written: ${(error as Error).message}`);
  }
}

/** A tile job's frame preview is every tile landed so far, each drawn in place (previews/tiles.ts). */
function tiledTask(job: JobRecord, frames: readonly number[]): Pick<ChunkPreviewTask, 'tiled'> {
  if (!job.tiles || !job.file) return {};
  return { tiled: { grid: job.tiles, files: Object.fromEntries(frames.map((frame) => [frame, mergePaths(job, frame).tiles])) } };
}

/**
 * Previews as frames are saved: a frame's preview is made once Blender moves on from it (its `Fra:` lines
 * give way to the next frame's, so every file of a stereo frame is written), not when the whole chunk ends.
 * The artist sees frames as they come, and a chunk's end waits for its last frame's preview only.
 */
export class PreviewsAsSaved {
  private frame: number | undefined;
  private savedFrame: number | undefined;
  private readonly started = new Set<number>();
  private readonly writing: Promise<void>[] = [];

  constructor(private readonly ctx: FarmContext, private readonly job: JobRecord, private readonly chunk: ChunkRecord) {}

  /** Every line the render prints. */
  onLine(line: string): void {
    const fra = FRA.exec(line);
    if (fra) {
      const frame = Number(fra[1]);
      if (frame !== this.frame && this.savedFrame === this.frame) this.startFrame(this.frame);
      this.frame = frame;
    } else if (line.startsWith('Saved: ')) this.savedFrame = this.frame;
  }

  /** The chunk ended well: the rest of its frames' previews, and those under way, written. */
  async finish(): Promise<void> {
    const rest = this.chunk.frames.filter((f) => !this.started.has(f));
    await Promise.all([...this.writing, writeChunkPreviews(this.ctx, this.job, this.chunk, rest)]);
  }

  private startFrame(frame: number | undefined): void {
    if (frame === undefined || this.started.has(frame) || !this.chunk.frames.includes(frame)) return;
    this.started.add(frame);
    this.writing.push(writeChunkPreviews(this.ctx, this.job, this.chunk, [frame]));
  }
}

const FRA = /^Fra:\s?(-?\d+)/;
