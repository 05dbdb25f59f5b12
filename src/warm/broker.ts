// renderd's end of the warm path: a Unix socket (in the node's private socket folder) where a render hook's
// client (libexec/warm-client.pl) asks for its chunk's frames. Each running Blender chunk gets a token in its hooks'
// environment; a request names it, so only this node's own chunks are served, and a chunk stopped
// (pause, remove, lease, node stopping) kills the warm render it asked for.
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { createHash, randomBytes } from 'node:crypto';
import { libexecPath } from '../hooks/defaults.js';
import { warmRequestFrom, stableEnvironment } from './request.js';
import type { WarmPool, WarmResult } from './pool.js';
import type { WarmOutput, WarmStart } from './blender.js';
import type { WarmRender } from '../hooks/in-place.js';

/** The variables a chunk's hooks get: where to ask, with what token, and the client to ask with. */
export const WARM_SOCKET_VAR = 'RENDERD_WARM';
export const WARM_TOKEN_VAR = 'RENDERD_WARM_TOKEN';
export const WARM_CLIENT_VAR = 'RENDERD_WARM_CLIENT';

interface ChunkTicket {
  job: string;
  hooksDir: string;
  signal: AbortSignal;
  /** The node's lease: its warm Blenders, like its hooks, die when it runs out. */
  lease?: string;
}

export class WarmBroker {
  private server: net.Server | undefined;
  private readonly tickets = new Map<string, ChunkTicket>();
  private readonly client = libexecPath('warm-client.pl');
  private readonly ownFiles = [libexecPath('warm-server.py'), libexecPath('warm_state.py'), this.client];

  constructor(readonly pool: WarmPool, private readonly socketPath: string, private readonly log: (line: string) => void) {}

  async listen(): Promise<void> {
    fs.mkdirSync(path.dirname(this.socketPath), { recursive: true, mode: 0o700 });
    fs.rmSync(this.socketPath, { force: true });
    const server = net.createServer((socket) => void this.serve(socket));
    await new Promise<void>((resolve, reject) => server.once('error', reject).listen(this.socketPath, () => resolve()));
    fs.chmodSync(this.socketPath, 0o600);
    server.unref();
    this.server = server;
  }

  async close(): Promise<void> {
    this.pool.stopAll();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
    fs.rmSync(this.socketPath, { force: true });
  }

  /**
   * A Blender chunk starts its hooks: the variables that let its render hook use the warm path, and the
   * render done in place (`inPlace`) for a stock render-blender, which then starts neither sh nor the client.
   */
  admit(job: string, hooksDir: string, signal: AbortSignal, lease?: string): { env: Record<string, string>; inPlace: WarmRender; done: () => void } {
    const token = randomBytes(12).toString('hex');
    const ticket = { job, hooksDir, signal, lease };
    this.tickets.set(token, ticket);
    return {
      env: { [WARM_SOCKET_VAR]: this.socketPath, [WARM_TOKEN_VAR]: token, [WARM_CLIENT_VAR]: this.client },
      inPlace: (env, cwd, io, stop) => this.renderFor(ticket, env, cwd, io, AbortSignal.any([signal, stop])),
      done: () => this.tickets.delete(token),
    };
  }

  private async serve(socket: net.Socket): Promise<void> {
    socket.on('error', () => undefined);
    const send = (text: string, bytes?: Buffer) => { if (!socket.destroyed) socket.write(bytes ? Buffer.concat([Buffer.from(text), bytes]) : text); };
    const line = await firstLine(socket);
    let asked: { cwd: string; env: Record<string, string> };
    try {
      asked = JSON.parse(line ?? '') as typeof asked;
    } catch {
      return void socket.end('F a request renderd could not read\n');
    }
    const ticket = this.tickets.get(asked.env?.[WARM_TOKEN_VAR] ?? '');
    if (!ticket) return void socket.end('F not a chunk running on this node\n');
    // the client gone (its hook killed: the chunk stopped) ends the render it asked for
    const gone = new AbortController();
    socket.on('close', () => gone.abort());
    const result = await this.renderFor(ticket, asked.env, asked.cwd, {
      stdout: (data) => send(`O ${data.length}\n`, data),
      stderr: (data) => send(`E ${data.length}\n`, data),
    }, AbortSignal.any([ticket.signal, gone.signal]));
    socket.end('code' in result ? `X ${result.code}\n` : `F ${result.fallback.replace(/\n/g, ' ')}\n`);
  }

  /** A chunk's frames rendered by its job's warm Blender, asked for with the render hook's environment. */
  private async renderFor(ticket: ChunkTicket, env: Record<string, string>, cwd: string, out: WarmOutput, signal: AbortSignal): Promise<WarmResult> {
    const request = warmRequestFrom(env);
    if (typeof request === 'string') return { fallback: request };
    const { blender, file, threads, scene, format, autoexec } = request;
    const start = { blender, file, threads, scene, format, autoexec };
    const key = this.keyOf({ ...start, file: path.resolve(cwd, file) }, env, ticket.hooksDir);
    return this.pool.render(ticket.job, key, { ...start, env, cwd, lease: ticket.lease }, request, out, signal);
  }

  /** What a warm Blender was started from (its command line, environment, hooks): when any of it changes, a new one is needed. */
  private keyOf(start: Pick<WarmStart, 'blender' | 'file' | 'threads' | 'scene' | 'format' | 'autoexec'>, env: Record<string, string>, hooksDir: string): string {
    const stamp = (p: string) => {
      try {
        const st = fs.statSync(p);
        return `${p}:${st.dev}:${st.ino}:${st.size}:${st.mtimeMs}`;
      } catch {
        return `${p}:-`;
      }
    };
    let hooks: string[] = [];
    try { hooks = fs.readdirSync(hooksDir).sort().map((name) => stamp(path.join(hooksDir, name))); } catch { /* no hooks folder */ }
    const { blender, file, threads, scene, format, autoexec } = start;
    const command = [blender, stamp(file), threads, scene, format, autoexec ? 'autoexec' : ''];
    return createHash('sha256').update([...command, stableEnvironment(env), ...hooks, ...this.ownFiles.map(stamp)].join('\0')).digest('hex');
  }
}

function firstLine(socket: net.Socket): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (data: Buffer) => {
      text += data.toString('utf8');
      const newline = text.indexOf('\n');
      if (newline < 0) return;
      socket.off('data', onData);
      resolve(text.slice(0, newline));
    };
    socket.on('data', onData);
    socket.once('close', () => resolve(undefined));
    socket.once('end', () => resolve(undefined));
  });
}
