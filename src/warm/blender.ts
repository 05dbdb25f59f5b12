// One warm Blender: `blender -b FILE --python server.py -- SOCKET`, started through the hook launcher so
// that it is a hook group of its own carrying RENDERD_GUARD: the launcher kills it when renderd dies,
// even by SIGKILL. Requests go over SOCKET; Blender's output comes back through the launcher, and a
// sentinel line on stdout ends each request.
import net from 'node:net';
import fs from 'node:fs';
import { packagePath } from '../hooks/defaults.js';
import type { HookLauncher } from '../hooks/launcher.js';
import type { WarmRequest } from './request.js';

const SENTINEL = '\x1eRENDERD-WARM-';
/** The code server.py answers when it cannot serve a request (the hook then starts Blender itself). */
export const FALLBACK_CODE = 75;

export interface WarmOutput {
  stdout(data: Buffer): void;
  stderr(data: Buffer): void;
  /** The Blender doing this render (its pid is its process group): the node suspends it with the chunk. */
  spawned?(pid: number): void;
}

export interface WarmStart {
  blender: string;
  file: string;
  threads: string;
  env: Record<string, string>;
  cwd: string;
  socketPath: string;
  /** How long loading the file may take before the warm path gives up on it. */
  loadTimeoutMs: number;
  lease?: string;
}

export class WarmBlender {
  pid: number | undefined;
  /** Frames rendered so far (the leak guard ends it after enough). */
  frames = 0;
  lastUsedMs = 0;
  busy = false;
  private socket: net.Socket | undefined;
  private pending = '';
  private current: { id: number; out: WarmOutput; done: (code: number) => void; fail: (error: Error) => void } | undefined;
  private ready: ((error?: Error) => void) | undefined;
  private exited = false;
  private nextId = 1;

  constructor(readonly job: string, readonly key: string) {}

  get alive(): boolean { return !this.exited; }

  /** Starts Blender, waits for the file to load and connects to it. */
  async start(launcher: HookLauncher, spec: WarmStart, onPid?: (pid: number) => void): Promise<void> {
    fs.rmSync(spec.socketPath, { force: true });
    const argv = [spec.blender, '-b', spec.file, ...(spec.threads ? ['-t', spec.threads] : []),
      '--python-exit-code', '2', '--python', packagePath('src', 'warm', 'server.py'), '--', spec.socketPath];
    const loaded = new Promise<void>((resolve, reject) => { this.ready = (error) => (error ? reject(error) : resolve()); });
    const launched = await launcher.launch({
      argv,
      env: { ...spec.env, PYTHONUNBUFFERED: '1' },
      cwd: spec.cwd,
      lease: spec.lease,
      onStdout: (data) => this.fromStdout(data),
      onStderr: (data) => this.current?.out.stderr(data),
    });
    this.pid = launched.pid;
    void launched.ended.then((end) => this.gone(`Blender exited (${end.signal ?? `code ${end.code}`})`));
    if (!this.pid) throw new Error(`could not start ${spec.blender}`);
    onPid?.(this.pid);
    const timer = setTimeout(() => this.ready?.(new Error(`${spec.file} not loaded within ${spec.loadTimeoutMs} ms`)), spec.loadTimeoutMs);
    try {
      await loaded;
    } finally {
      clearTimeout(timer);
    }
    this.socket = await connect(spec.socketPath);
    this.socket.on('error', () => undefined);
    this.socket.on('close', () => this.gone('its socket closed'));
  }

  /** Renders one chunk's frames; resolves with the render's code, rejects if this Blender died meanwhile. */
  render(request: WarmRequest, cwd: string, out: WarmOutput): Promise<number> {
    if (this.exited || !this.socket) return Promise.reject(new Error('this warm Blender is gone'));
    const id = this.nextId++;
    const body = { id, cwd, scene: request.scene, output: request.output, format: request.format, runs: request.runs, noOverwrite: request.noOverwrite, border: request.border ?? null };
    return new Promise<number>((resolve, reject) => {
      this.current = { id, out, done: resolve, fail: reject };
      this.socket!.write(`${JSON.stringify(body)}\n`);
    }).finally(() => { this.current = undefined; });
  }

  /** Kills it (its whole group); a render in progress fails. */
  stop(): void {
    try { if (this.pid && !this.exited) process.kill(-this.pid, 'SIGKILL'); } catch { /* gone already */ }
    this.socket?.destroy();
    this.gone('stopped');
  }

  private gone(why: string): void {
    this.exited = true;
    this.ready?.(new Error(why));
    this.ready = undefined;
    this.current?.fail(new Error(why));
    this.current = undefined;
  }

  /** Whole lines go to the request in progress; sentinel lines are ours. */
  private fromStdout(data: Buffer): void {
    this.pending += data.toString('latin1');
    let newline: number;
    while ((newline = this.pending.indexOf('\n')) >= 0) {
      const line = this.pending.slice(0, newline + 1);
      this.pending = this.pending.slice(newline + 1);
      if (!line.startsWith(SENTINEL)) {
        this.current?.out.stdout(Buffer.from(line, 'latin1'));
        continue;
      }
      const [what, id, code] = line.slice(SENTINEL.length).trim().split(' ');
      if (what === 'READY') { this.ready?.(); this.ready = undefined; }
      if (what === 'END' && this.current && Number(id) === this.current.id) this.current.done(Number(code));
    }
  }
}

function connect(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath, () => resolve(socket));
    socket.once('error', reject);
  });
}
