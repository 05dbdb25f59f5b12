// Runs chunks' previews in one worker thread per process, one chunk at a time, with a time limit: a huge
// or odd frame costs the preview, never the chunk or the node. The thread is kept between chunks (a new
// one per chunk cost ~40 ms of CPU to start and load the image library, taken from the next chunk's
// render on a small machine: issue 17) and ends after PREVIEW_IDLE_MS without work.
import { Worker } from 'node:worker_threads';
import type { ChunkPreviewResult, ChunkPreviewTask } from './chunk.js';
import type { PreviewReply } from './thread-main.js';

/** Past this, the thread is stopped and the frames it had not reached get no preview. */
export const PREVIEW_TIMEOUT_MS = 60_000;
/** A thread with no chunk to preview this long ends (a node between jobs holds no image library). */
export const PREVIEW_IDLE_MS = 30_000;

interface Pending {
  task: ChunkPreviewTask;
  timeoutMs: number;
  resolve(result: ChunkPreviewResult): void;
  reject(error: Error): void;
}

class PreviewThread {
  private worker: Worker | undefined;
  private readonly queue: Pending[] = [];
  private current: (Pending & { id: number; timer: NodeJS.Timeout }) | undefined;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  run(task: ChunkPreviewTask, timeoutMs: number): Promise<ChunkPreviewResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, timeoutMs, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.current) return;
    const pending = this.queue.shift();
    if (!pending) {
      // idle: the thread must not keep the process alive, and ends if nothing comes
      this.worker?.unref();
      this.idleTimer ??= setTimeout(() => this.stop(), PREVIEW_IDLE_MS).unref();
      return;
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const worker = this.ensureWorker();
    worker.ref();
    const id = this.nextId++;
    const timer = setTimeout(() => this.fail(new Error(`previews took over ${pending.timeoutMs} ms: stopped`), true), pending.timeoutMs);
    this.current = { ...pending, id, timer };
    worker.postMessage({ id, task: pending.task });
  }

  private ensureWorker(): Worker {
    if (this.worker) return this.worker;
    const worker = new Worker(new URL('./thread-main.js', import.meta.url));
    worker.on('message', (reply: PreviewReply) => {
      const current = this.current;
      if (!current || reply.id !== current.id) return;
      clearTimeout(current.timer);
      this.current = undefined;
      if ('result' in reply) current.resolve(reply.result); else current.reject(new Error(reply.error));
      this.next();
    });
    worker.on('error', (error) => {
      // an uncaught error ends the thread: the next chunk gets a new one
      if (this.worker === worker) this.worker = undefined;
      this.fail(error, false);
    });
    worker.on('exit', (code) => {
      if (this.worker !== worker) return;
      this.worker = undefined;
      this.fail(new Error(`preview thread exited (${code})`), false);
    });
    this.worker = worker;
    return worker;
  }

  /** The chunk being previewed fails; a thread that may be stuck is stopped (the next chunk gets a new one). */
  private fail(error: Error, stopThread: boolean): void {
    const current = this.current;
    if (current) {
      clearTimeout(current.timer);
      this.current = undefined;
      current.reject(error);
    }
    if (stopThread) this.stop();
    this.next();
  }

  private stop(): void {
    const worker = this.worker;
    this.worker = undefined;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    void worker?.terminate();
  }
}

const thread = new PreviewThread();

export function previewChunkOffThread(task: ChunkPreviewTask, timeoutMs = PREVIEW_TIMEOUT_MS): Promise<ChunkPreviewResult> {
  return thread.run(task, timeoutMs);
}
