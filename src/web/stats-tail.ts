// The attempt totals behind /metrics, read from the nodes' stats files (stats/<node>.ndjson) as they
// grow: each scrape reads only the bytes appended since the last, so a farm that ran for years costs
// a few stats and small reads. A rotated file (new inode, or shorter) is read again from its start.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SpoolLayout } from '../spool/layout.js';
import { listNames } from '../spool/atomic.js';
import { statsDir, STATS_SUFFIX } from '../reports/paths.js';
import { parseStatLine } from '../reports/stat-line.js';
import { readSpoolFile } from './files.js';
import { addAttempt, emptyTotals, type AttemptTotals } from './metrics.js';

/** The most one scrape reads of one file; what is left is read by the next scrape. */
const READ_LIMIT_BYTES = 32 * 1024 * 1024;

interface Position { ino: number; offset: number }

export class StatsTail {
  readonly totals: AttemptTotals = emptyTotals();
  private readonly positions = new Map<string, Position>();

  constructor(private readonly layout: SpoolLayout) {}

  async update(): Promise<AttemptTotals> {
    const dir = statsDir(this.layout);
    // the live files only: a rotated-away .previous holds lines this tail has already counted
    const names = (await listNames(dir)).filter((n) => n.endsWith(STATS_SUFFIX) && !n.startsWith('.') && !n.endsWith(`.previous${STATS_SUFFIX}`));
    for (const name of names) await this.readFile(path.join(dir, name));
    return this.totals;
  }

  private async readFile(file: string): Promise<void> {
    const stat = await fs.lstat(file).catch(() => undefined);
    if (!stat?.isFile()) return;
    let position = this.positions.get(file);
    if (!position || position.ino !== stat.ino || stat.size < position.offset) position = { ino: stat.ino, offset: 0 };
    if (stat.size === position.offset) return void this.positions.set(file, position);
    const result = readSpoolFile(file, position.offset, Number.MAX_SAFE_INTEGER, READ_LIMIT_BYTES);
    if (!result.ok) return;
    const data = result.slice.data;
    // only whole lines: a line being appended is read with the rest of it next time
    const end = data.lastIndexOf(0x0a) + 1;
    for (const line of data.subarray(0, end).toString('utf8').split('\n')) {
      const attempt = line.trim() ? parseStatLine(line) : null;
      if (attempt) addAttempt(this.totals, attempt);
    }
    this.positions.set(file, { ino: stat.ino, offset: position.offset + end });
  }
}
