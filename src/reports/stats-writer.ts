// Appending a node's stats: whole lines with O_APPEND to the node's own file, so nodes never contend
// for a file and a line is never interleaved with another.
import fs from 'node:fs/promises';
import fsSync, { constants } from 'node:fs';
import type { Clock } from '../claim/clock.js';
import type { Log } from '../spool/quarantine.js';
import type { SpoolLayout } from '../spool/layout.js';
import { isMissing } from '../spool/atomic.js';
import { attemptStatOf, formatStatLine, type AttemptEvent, type AttemptStat, type RecorderIdentity } from './stat-line.js';
import { statsDir, statsFile } from './paths.js';

// O_NOFOLLOW: a symlink planted at stats/<node>.ndjson must not make the node append elsewhere
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

/** Appends one stat line to `node`'s file, creating the stats folder on first use. */
export async function appendAttemptStat(layout: SpoolLayout, stat: AttemptStat): Promise<void> {
  await appendStatLines(layout, stat.node, formatStatLine(stat));
}

/** Appends whole lines to `node`'s file, creating the stats folder on first use. */
async function appendStatLines(layout: SpoolLayout, node: string, lines: string): Promise<void> {
  const file = statsFile(layout, node);
  try {
    await appendLines(file, lines);
  } catch (error) {
    if (!isMissing(error)) throw error;
    await fs.mkdir(statsDir(layout), { recursive: true });
    await appendLines(file, lines);
  }
}

/** One write of whole lines with O_APPEND: they land at the end, in one piece. */
async function appendLines(file: string, lines: string): Promise<void> {
  const handle = await fs.open(file, APPEND_FLAGS, 0o644);
  try {
    await handle.appendFile(lines);
  } finally {
    await handle.close();
  }
}

export interface StatsRecorderOptions extends RecorderIdentity {
  layout: SpoolLayout;
  clock: Pick<Clock, 'wallIso'>;
  log: Log;
}

export interface StatsRecorder {
  /** For DaemonDeps.onAttemptRecorded: never throws, a failed write is logged. */
  record(event: AttemptEvent): void;
  /** Writes the lines still waiting and closes the file (the node is exiting). */
  settle(): Promise<void>;
}

/**
 * The node's stats file, kept open: a line per attempt is one write(2) with O_APPEND, not an open, a
 * write and a close on the thread pool. Reopened when the file was removed or replaced meanwhile.
 */
class OpenStatsFile {
  private fd: number | undefined;

  constructor(private readonly layout: SpoolLayout, private readonly node: string) {}

  append(lines: string): void {
    if (this.fd !== undefined && fsSync.fstatSync(this.fd).nlink === 0) this.close();
    this.fd ??= this.open();
    fsSync.writeSync(this.fd, lines);
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    fsSync.closeSync(fd);
  }

  private open(): number {
    const file = statsFile(this.layout, this.node);
    try {
      return fsSync.openSync(file, APPEND_FLAGS, 0o644);
    } catch (error) {
      if (!isMissing(error)) throw error;
      fsSync.mkdirSync(statsDir(this.layout), { recursive: true });
      return fsSync.openSync(file, APPEND_FLAGS, 0o644);
    }
  }
}

/** Lines recorded in one turn of the event loop (a burst of ends) go out in one write. */
export function createStatsRecorder(options: StatsRecorderOptions): StatsRecorder {
  const file = new OpenStatsFile(options.layout, options.node);
  let waiting: { line: string; label: string }[] = [];
  let scheduled: NodeJS.Immediate | undefined;
  const flush = () => {
    scheduled = undefined;
    const batch = waiting;
    waiting = [];
    if (batch.length === 0) return;
    try {
      file.append(batch.map((b) => b.line).join(''));
    } catch (error) {
      try { file.close(); } catch { /* reopened at the next line */ }
      options.log(`stats: could not record attempt${batch.length > 1 ? 's' : ''} of ${batch.map((b) => b.label).join(', ')}: ${(error as Error).message}`);
    }
  };
  return {
    record(event) {
      const label = `${event.job.id}/${event.record.id}`;
      try {
        waiting.push({ line: formatStatLine(attemptStatOf(event, options, options.clock.wallIso())), label });
      } catch (error) {
        options.log(`stats: could not record attempt of ${label}: ${(error as Error).message}`);
        return;
      }
      scheduled ??= setImmediate(flush);
    },
    async settle() {
      if (scheduled) clearImmediate(scheduled);
      flush();
      try { file.close(); } catch { /* written already */ }
    },
  };
}
