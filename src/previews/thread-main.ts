// The worker thread's body: makes one chunk's previews and posts the result. Decoding an EXR is plain
// JavaScript; here it never holds up the node's main loop (heartbeats, claims, peers).
import { parentPort, workerData } from 'node:worker_threads';
import path from 'node:path';
import { previewChunk, type ChunkPreviewTask } from './chunk.js';
import { previewName } from './paths.js';

const task = workerData as ChunkPreviewTask;
const result = await previewChunk(task, (frame) => path.join(task.previewsDir, previewName(frame)));
parentPort!.postMessage(result);
