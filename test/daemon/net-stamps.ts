// A job command that notes when it starts, for measuring wake-ups and re-runs across hosts.
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { waitUntil } from '../support/wait.js';

/**
 * A job command that stamps when it starts: `stamp.sh FILE [SECONDS] [ONLY_ATTEMPT]` appends
 * "START chunk attempt node ns-since-epoch" to FILE, then sleeps SECONDS (only on attempt ONLY_ATTEMPT,
 * if given). Its folder's name is a marker found in the command line of every process it runs.
 */
export class Stamps {
  readonly marker = `renderd-net-${randomBytes(4).toString('hex')}`;
  readonly file: string;
  readonly script: string;

  private constructor(dir: string) {
    this.file = path.join(dir, `${this.marker}.stamps`);
    this.script = path.join(dir, this.marker, 'stamp.sh');
  }

  static async create(dir: string): Promise<Stamps> {
    const stamps = new Stamps(dir);
    await fsp.mkdir(path.dirname(stamps.script), { recursive: true });
    await fsp.symlink('/bin/sleep', path.join(path.dirname(stamps.script), 'sleep'));
    await fsp.writeFile(stamps.script, [
      '#!/bin/sh',
      'echo "START $RENDER_CHUNK $RENDER_ATTEMPT $RENDER_NODE $(date +%s%N)" >> "$1"',
      'if [ "${2:-0}" != 0 ] && { [ -z "$3" ] || [ "$3" = "$RENDER_ATTEMPT" ]; }; then exec "$(dirname "$0")/sleep" "$2"; fi',
      '',
    ].join('\n'), { mode: 0o755 });
    await fsp.writeFile(stamps.file, '');
    return stamps;
  }

  command(sleepSeconds = 0, onlyAttempt?: number): string[] {
    return [this.script, this.file, String(sleepSeconds), ...(onlyAttempt ? [String(onlyAttempt)] : [])];
  }

  async read(): Promise<Stamp[]> {
    const text = await fsp.readFile(this.file, 'utf8');
    return text.split('\n').filter(Boolean).map((line) => {
      const [, chunk, attempt, node, ns] = line.split(' ');
      return { chunk, attempt: Number(attempt), node, wallMs: Number(BigInt(ns) / 1000n) / 1000 };
    });
  }

  /** Waits for at least `count` stamps. */
  waitFor(count: number, timeoutMs: number): Promise<Stamp[]> {
    return waitUntil(`${count} stamp(s) in ${this.file}`, async () => {
      const stamps = await this.read();
      return stamps.length >= count ? stamps : undefined;
    }, timeoutMs, 5);
  }
}

export interface Stamp {
  chunk: string;
  attempt: number;
  node: string;
  /** When the command started, ms since the epoch (date +%s%N: every host here shares the kernel's clock). */
  wallMs: number;
}

export function median(values: number[]): number {
  const sorted = [...values].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}
