// Runs chunks' previews in one child process per node, one chunk at a time, with a time limit: a huge or
// odd frame costs the preview, never the chunk or the node. A process, not a thread: it runs at the lowest
// priority (the image library works on threads a worker thread's niceness never reached, and took a
// tenth of a warm render's time from it: issue 17). It is kept between chunks (one per chunk
// cost ~40 ms of CPU to start and load the library) and ends after PREVIEW_IDLE_MS without work.
import { spawn, type ChildProcess } from 'node:child_process';
import { packagePath } from '../hooks/defaults.js';
import type { ChunkPreviewResult, ChunkPreviewTask } from './chunk.js';
import type { PreviewReply } from './preview-child.js';

/** Past this, the process is stopped and the frames it had not reached get no preview. */
export const PREVIEW_TIMEOUT_MS = 60_000;
/** A process with no chunk to preview this long ends (a node between jobs holds no image library). */
export const PREVIEW_IDLE_MS = 30_000;

interface Pending {
  task: ChunkPreviewTask;
  /** The niceness the process runs at: previews must not slow the renders down. */
  nice: number;
  timeoutMs: number;
  resolve(result: ChunkPreviewResult): void;
  reject(error: Error): void;
}

class PreviewProcess {
  private child: ChildProcess | undefined;
  private readonly queue: Pending[] = [];
  private current: (Pending & { id: number; timer: NodeJS.Timeout }) | undefined;
  private nextId = 1;
  private idleTimer: NodeJS.Timeout | undefined;

  run(task: ChunkPreviewTask, timeoutMs: number, nice: number): Promise<ChunkPreviewResult> {
    return new Promise((resolve, reject) => {
      this.queue.push({ task, timeoutMs, nice, resolve, reject });
      this.next();
    });
  }

  private next(): void {
    if (this.current) return;
    const pending = this.queue.shift();
    if (!pending) {
      // idle: the child must not keep renderd alive, and ends if nothing comes
      this.child?.unref();
      this.child?.channel?.unref();
      this.idleTimer ??= setTimeout(() => this.stop(), PREVIEW_IDLE_MS).unref();
      return;
    }
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    const child = this.ensureChild(pending.nice);
    child.ref();
    child.channel?.ref();
    const id = this.nextId++;
    const timer = setTimeout(() => this.fail(new Error(`previews took over ${pending.timeoutMs} ms: stopped`), true), pending.timeoutMs);
    this.current = { ...pending, id, timer };
    child.send({ id, task: pending.task });
  }

  private ensureChild(nice: number): ChildProcess {
    if (this.child) return this.child;
    // started through nice(1): every thread of it, the ones Node makes before our code runs too, is niced
    // its own entry, never bundled: found from the package root, as the bundled node may run this code
    const script = packagePath('dist', 'src', 'previews', 'preview-child.js');
    const child = spawn('nice', ['-n', String(nice), process.execPath, script, String(nice)], { stdio: ['ignore', 'ignore', 'ignore', 'ipc'] });
    child.on('message', (reply: PreviewReply) => {
      const current = this.current;
      if (!current || reply.id !== current.id) return;
      clearTimeout(current.timer);
      this.current = undefined;
      if ('result' in reply) current.resolve(reply.result); else current.reject(new Error(reply.error));
      this.next();
    });
    child.on('error', (error) => {
      // a process that could not start or be sent to: the next chunk gets a new one
      if (this.child === child) this.child = undefined;
      this.fail(error, false);
    });
    child.on('exit', (code) => {
      if (this.child !== child) return;
      this.child = undefined;
      this.fail(new Error(`preview process exited (${code})`), false);
    });
    this.child = child;
    return child;
  }

  /** The chunk being previewed fails; a process that may be stuck is stopped (the next chunk gets a new one). */
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
    const child = this.child;
    this.child = undefined;
    clearTimeout(this.idleTimer);
    this.idleTimer = undefined;
    child?.kill('SIGKILL');
  }
}

const previews = new PreviewProcess();

export function previewChunkInBackground(task: ChunkPreviewTask, timeoutMs = PREVIEW_TIMEOUT_MS, nice = 0): Promise<ChunkPreviewResult> {
  return previews.run(task, timeoutMs, nice);
}
