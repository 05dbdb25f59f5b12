// The node's side: after a Blender chunk's hooks succeed, its frames' previews, off the main loop.
// Only failures are logged (one line per chunk); they never change the chunk's outcome.
import type { FarmContext } from '../claim/context.js';
import type { ChunkRecord, JobRecord } from '../spool/records.js';
import { previewChunkInBackground } from './background.js';
import { previewsDir } from './paths.js';

/** Previews are for people watching, never worth a render's time: they run at the lowest priority. */
export const PREVIEW_NICE = 19;

export async function writeChunkPreviews(ctx: FarmContext, job: JobRecord, chunk: ChunkRecord): Promise<void> {
  if (job.kind !== 'blender' || !job.output) return;
  try {
    const result = await previewChunkInBackground({
      jobDir: ctx.layout.jobDir(job.id), previewsDir: previewsDir(ctx.layout, job.id),
      output: job.output, format: job.format, file: job.file, frames: chunk.frames,
    }, undefined, PREVIEW_NICE);
    if (result.skipped.length > 0) {
      const first = result.skipped[0];
      ctx.log(`chunk ${job.id}/${chunk.id}: no preview for ${result.skipped.length} frame(s) (frame ${first.frame}: ${first.reason})`);
    }
  } catch (error) {
    ctx.log(`chunk ${job.id}/${chunk.id}: previews not written: ${(error as Error).message}`);
  }
}
