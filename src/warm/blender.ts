// One warm Blender: `blender -b FILE [-S -F -t -y] --python libexec/warm-server.py -- SOCKET FORMAT` (request.ts's
// warmArgv), started through the hook launcher so
// that it is a hook group of its own carrying RENDERD_GUARD: the launcher kills it when renderd dies,
// even by SIGKILL. Requests go over SOCKET; Blender's output comes back through the launcher, and a
// mark line on stdout ends each request.
import net from 'node:net';
import fs from 'node:fs';
import { libexecPath } from '../hooks/defaults.js';
import type { HookLauncher } from '../hooks/launcher.js';
import { warmArgv, type WarmRequest } from './request.js';
import { initialWarmStdout, keepStartupTail, splitWarmStdout, startupFailure } from './output.js';

/** The code warm-server.py answers when it cannot serve a request (the hook then starts Blender itself). */
export const FALLBACK_CODE = 75;

export interface WarmOutput {
  stdout(data: Buffer): void;
  stderr(data: Buffer): void;
  /** The Blender doing this render (its pid is its process group): the node suspends it with the chunk. */
  spawned?(pid: number): void;
}

export interface WarmStart extends Pick<WarmRequest, 'blender' | 'file' | 'threads' | 'scene' | 'format' | 'autoexec'> {
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
  /** Its server could not put the file's settings back after a request: it ends, and is not used again. */
  retiring = false;
  private socket: net.Socket | undefined;
  private stdout = initialWarmStdout();
  private current: { id: number; out: WarmOutput; done: (code: number) => void; fail: (error: Error) => void } | undefined;
  private ready: ((error?: Error) => void) | undefined;
  /** The tail of its stderr while it loads: why it died, if it dies before it is ready. */
  private startupTail = '';
  private exited = false;
  private nextId = 1;

  constructor(readonly job: string, readonly key: string) {}

  get alive(): boolean { return !this.exited; }

  /** Starts Blender, waits for the file to load and connects to it. */
  async start(launcher: HookLauncher, spec: WarmStart, onPid?: (pid: number) => void): Promise<void> {
    fs.rmSync(spec.socketPath, { force: true });
    const argv = warmArgv(spec, libexecPath('warm-server.py'), spec.socketPath);
    const loaded = new Promise<void>((resolve, reject) => { this.ready = (error) => (error ? reject(error) : resolve()); });
    const launched = await launcher.launch({
      argv,
      env: { ...spec.env, PYTHONUNBUFFERED: '1' },
      cwd: spec.cwd,
      lease: spec.lease,
      onStdout: (data) => this.fromStdout(data),
      onStderr: (data) => this.fromStderr(data),
    });
    this.pid = launched.pid;
    void launched.ended.then((end) => this.gone(`Blender exited (${end.signal ?? `code ${end.code}`})${this.ready ? this.saidAtStartup() : ''}`));
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
    const { scene, output, format, runs, noOverwrite, camera, viewLayer } = request;
    const body = { id, cwd, scene, output, format, runs, noOverwrite, camera, viewLayer, border: request.border ?? null, passes: request.passes ?? null };
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

  private fromStderr(data: Buffer): void {
    if (this.ready) this.startupTail = keepStartupTail(this.startupTail, data.toString('latin1'));
    this.current?.out.stderr(data);
  }

  private saidAtStartup(): string {
    const said = startupFailure(this.startupTail);
    return said ? `: ${said}` : '';
  }

  /** Whole lines go to the request in progress; marks are the server's (output.ts). */
  private fromStdout(data: Buffer): void {
    const { state, pieces } = splitWarmStdout(this.stdout, data.toString('latin1'));
    this.stdout = state;
    for (const piece of pieces) {
      if ('mark' in piece) this.fromServer(piece.mark);
      else this.current?.out.stdout(Buffer.from(piece.line, 'latin1'));
    }
  }

  private fromServer([what, id, code, last]: string[]): void {
    if (what === 'READY') { this.ready?.(); this.ready = undefined; }
    if (what !== 'END' || !this.current || Number(id) !== this.current.id) return;
    if (last === 'last') this.retiring = true;
    this.current.done(Number(code));
  }
}

function connect(socketPath: string): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = net.createConnection(socketPath, () => resolve(socket));
    socket.once('error', reject);
  });
}
