// The preview process's body (background.ts starts it): makes each chunk's previews it is sent, one at a
// time, and answers with the result. Decoding an EXR is plain JavaScript; here it never holds up the
// node's main loop (heartbeats, claims, peers).
import os from 'node:os';
import path from 'node:path';
import type { ChunkPreviewResult, ChunkPreviewTask } from './chunk.js';

export type PreviewReply = { id: number; result: ChunkPreviewResult } | { id: number; error: string };

// Background work, at the lowest priority (nice(1) started it so) and on one thread of the image library:
// a preview must never slow a render (issue 17). Reniced here too, should it have been started otherwise.
try {
  os.setPriority(0, Math.max(os.getPriority(0), Number(process.argv[2]) || 0));
} catch {
  // not allowed here: previews run at the node's own priority
}
const sharp = (await import('sharp')).default;
sharp.concurrency(1);
const { previewChunk } = await import('./chunk.js');
const { previewName } = await import('./paths.js');

process.on('message', async ({ id, task }: { id: number; task: ChunkPreviewTask }) => {
  let reply: PreviewReply;
  try {
    reply = { id, result: await previewChunk(task, (frame) => path.join(task.previewsDir, previewName(frame))) };
  } catch (error) {
    reply = { id, error: (error as Error).message };
  }
  process.send?.(reply);
});
// renderd gone (or done with us): nothing left to do
process.on('disconnect', () => process.exit(0));
