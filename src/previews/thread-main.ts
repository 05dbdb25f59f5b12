// The preview thread's body: makes each chunk's previews it is sent, one at a time, and posts the result.
// Decoding an EXR is plain JavaScript; here it never holds up the node's main loop (heartbeats, claims,
// peers).
import { parentPort } from 'node:worker_threads';
import path from 'node:path';
import { previewChunk, type ChunkPreviewResult, type ChunkPreviewTask } from './chunk.js';
import { previewName } from './paths.js';

export type PreviewReply = { id: number; result: ChunkPreviewResult } | { id: number; error: string };

parentPort?.on('message', async ({ id, task }: { id: number; task: ChunkPreviewTask }) => {
  let reply: PreviewReply;
  try {
    reply = { id, result: await previewChunk(task, (frame) => path.join(task.previewsDir, previewName(frame))) };
  } catch (error) {
    reply = { id, error: (error as Error).message };
  }
  parentPort!.postMessage(reply);
});
