// For the web tests: a `render web` server on a temp spool (the real binary, on a free port), its
// event stream read as a client reads it, and raw HTTP for what fetch would tidy (.., %2e%2e).
import { spawn, type ChildProcess } from 'node:child_process';
import net from 'node:net';
import { RENDER_BIN, waitUntil } from '../support/index.js';

export interface WebProcess {
  url: string;
  port: number;
  child: ChildProcess;
  stderr(): string;
  stop(): Promise<void>;
}

/** `render web --listen 127.0.0.1:0` on the spool; resolves once it says where it serves. */
export async function startRenderWeb(spool: string, extra: string[] = []): Promise<WebProcess> {
  const child = spawn(process.execPath, [RENDER_BIN, '--spool', spool, 'web', '--listen', '127.0.0.1:0', ...extra], { stdio: ['ignore', 'pipe', 'pipe'] });
  let stdout = '';
  let stderr = '';
  child.stdout!.setEncoding('utf8').on('data', (t: string) => { stdout += t; });
  child.stderr!.setEncoding('utf8').on('data', (t: string) => { stderr += t; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  process.once('exit', () => child.kill('SIGKILL'));
  const url = await waitUntil('render web to serve', () => /on (http:\/\/\S+)\/\n/.exec(stdout)?.[1] ?? (child.exitCode !== null ? Promise.reject(new Error(stderr)) : undefined), 15_000, 50);
  return {
    url, port: Number(new URL(url).port), child, stderr: () => stderr,
    async stop() { child.kill('SIGTERM'); await exited; },
  };
}

export interface SseEvent { type: string; data: unknown }

/** An open event stream: every event it got so far, and a wait for one that passes a test. */
export class EventReader {
  readonly events: SseEvent[] = [];
  private buffer = '';

  private constructor(private readonly controller: AbortController) {}

  static async open(url: string): Promise<EventReader> {
    const controller = new AbortController();
    const res = await fetch(`${url}/api/events`, { signal: controller.signal });
    if (!res.ok) throw new Error(`events: ${res.status} ${await res.text()}`);
    const reader = new EventReader(controller);
    void reader.pump(res.body as unknown as AsyncIterable<Uint8Array>);
    return reader;
  }

  private async pump(body: AsyncIterable<Uint8Array>): Promise<void> {
    const decoder = new TextDecoder();
    try {
      for await (const chunk of body) this.take(decoder.decode(chunk, { stream: true }));
    } catch {
      // closed by us (abort) or by the server: the test sees no more events, and says what it missed
    }
  }

  private take(text: string): void {
    this.buffer += text;
    for (let end = this.buffer.indexOf('\n\n'); end >= 0; end = this.buffer.indexOf('\n\n')) {
      const block = this.buffer.slice(0, end);
      this.buffer = this.buffer.slice(end + 2);
      const type = /^event: (.*)$/m.exec(block)?.[1];
      const data = /^data: (.*)$/m.exec(block)?.[1];
      if (type && data) this.events.push({ type, data: JSON.parse(data) });
    }
  }

  waitFor(what: string, test: (e: SseEvent) => boolean, timeoutMs = 15_000): Promise<SseEvent> {
    return waitUntil(what, () => this.events.find(test), timeoutMs, 20);
  }

  close(): void { this.controller.abort(); }
}

/** Sends `request` as it is (no URL tidying) and returns the status line and body. */
export function rawRequest(port: number, request: string): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    // written, not ended: a half-closed socket may be dropped before a slower answer; Connection: close ends it
    const socket = net.connect(port, '127.0.0.1', () => socket.write(request));
    let text = '';
    socket.setEncoding('utf8').on('data', (t: string) => { text += t; });
    socket.on('error', reject);
    socket.on('close', () => resolve({ status: Number(/^HTTP\/1\.1 (\d+)/.exec(text)?.[1] ?? 0), body: text.split('\r\n\r\n').slice(1).join('\r\n\r\n') }));
  });
}
