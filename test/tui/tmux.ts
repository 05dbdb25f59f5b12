// A tmux server of the test's own, to run `render ui` on a real terminal: type, press keys, click,
// and read the screen back (with its colours, -e, when asked).
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import { promisify } from 'node:util';
import { sleep, waitUntil } from '../support/index.js';

const run = promisify(execFile);
export const STEP_MS = 15_000;

export class Tmux {
  readonly socket = `renderd-ui-${process.pid}-${Date.now().toString(36)}`;
  private socketPath?: string;
  async cmd(...args: string[]): Promise<string> {
    return (await run('tmux', ['-L', this.socket, ...args], { timeout: 5000 })).stdout;
  }
  async start(width: number, height: number, env: Record<string, string>): Promise<void> {
    const vars = Object.entries(env).map(([k, v]) => `${k}='${v}'`).join(' ');
    await this.cmd('new-session', '-d', '-x', String(width), '-y', String(height), `env ${vars} sh -i`);
    this.socketPath = (await this.cmd('display-message', '-p', '#{socket_path}')).trim();
  }
  type(line: string): Promise<string> { return this.cmd('send-keys', '-l', line).then(() => this.cmd('send-keys', 'Enter')); }
  keys(...keys: string[]): Promise<string> { return this.cmd('send-keys', ...keys); }
  screen(): Promise<string> { return this.cmd('capture-pane', '-p'); }
  /** The screen with its colours as SGR escapes. */
  colours(): Promise<string> { return this.cmd('capture-pane', '-e', '-p'); }
  /** A left click at a 0-based cell: press and release in X10 encoding (blessed reads it in any mouse mode). */
  async click(x: number, y: number): Promise<void> {
    // as hex bytes: a literal ';' among them would end the tmux command
    const report = (button: number) => [0x1b, 0x5b, 0x4d, 32 + button, 33 + x, 33 + y].map((b) => b.toString(16));
    await this.cmd('send-keys', '-H', ...report(0));
    // apart, as a hand clicks: blessed reads one mouse report per read
    await sleep(50);
    await this.cmd('send-keys', '-H', ...report(3));
  }
  /** Ends the server this test started, and its socket file. */
  async kill(): Promise<void> {
    await this.cmd('kill-server').catch(() => undefined); // already gone is fine
    if (this.socketPath) await fs.rm(this.socketPath, { force: true });
  }
  /** Waits until the screen matches every pattern; returns it. */
  until(what: string, ...patterns: RegExp[]): Promise<string> {
    return waitUntil(what, async () => {
      const text = await this.screen();
      return patterns.every((p) => p.test(text)) ? text : undefined;
    }, STEP_MS, 100);
  }
}
