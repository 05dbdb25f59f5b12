// Runs a chunk's previews in a worker thread, with a time limit: a huge or odd frame costs the
// preview, never the chunk or the node.
import { Worker } from 'node:worker_threads';
import type { ChunkPreviewResult, ChunkPreviewTask } from './chunk.js';

/** Past this, the thread is stopped and the frames it had not reached get no preview. */
export const PREVIEW_TIMEOUT_MS = 60_000;

export function previewChunkOffThread(task: ChunkPreviewTask, timeoutMs = PREVIEW_TIMEOUT_MS): Promise<ChunkPreviewResult> {
  return new Promise((resolve, reject) => {
    const worker = new Worker(new URL('./thread-main.js', import.meta.url), { workerData: task });
    const timer = setTimeout(() => { void worker.terminate(); reject(new Error(`previews took over ${timeoutMs} ms: stopped`)); }, timeoutMs);
    worker.once('message', (result: ChunkPreviewResult) => { clearTimeout(timer); resolve(result); void worker.terminate(); });
    worker.once('error', (error) => { clearTimeout(timer); reject(error); });
    worker.once('exit', (code) => { clearTimeout(timer); reject(new Error(`preview thread exited (${code})`)); });
  });
}
