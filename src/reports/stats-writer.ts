// Appending a node's stats: whole lines with O_APPEND to the node's own file, so nodes never contend
// for a file and a line is never interleaved with another.
import fsSync, { constants } from 'node:fs';
import type { Clock } from '../liveness/clock.js';
import type { Log } from '../spool/quarantine.js';
import type { SpoolLayout } from '../spool/layout.js';
import { isMissing } from '../spool/atomic.js';
import { openNoFollow } from '../spool/no-follow.js';
import { attemptStatOf, formatStatLine, type AttemptEvent, type AttemptStat, type RecorderIdentity } from './stat-line.js';
import { previousStatsFile, statsDir, statsFile } from './paths.js';

// O_NOFOLLOW: a symlink planted at stats/<node>.ndjson must not make the node append elsewhere
const APPEND_FLAGS = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT | constants.O_NOFOLLOW;

/** A node's stats file is rotated past this size: it and its one previous generation are all it keeps. */
export const STATS_ROTATE_BYTES = 32 * 1024 * 1024;

/** Appends one stat line to `node`'s file, creating the stats folder on first use. */
export async function appendAttemptStat(layout: SpoolLayout, stat: AttemptStat, rotateBytes = STATS_ROTATE_BYTES): Promise<void> {
  let fd = openStatsFile(layout, stat.node);
  if (fsSync.fstatSync(fd).size >= rotateBytes) {
    // only this node appends to its file: the rename races nobody
    fsSync.closeSync(fd);
    fsSync.renameSync(statsFile(layout, stat.node), previousStatsFile(layout, stat.node));
    fd = openStatsFile(layout, stat.node);
  }
  try {
    // one write with O_APPEND: the line lands at the end, in one piece
    fsSync.writeSync(fd, formatStatLine(stat));
  } finally {
    fsSync.closeSync(fd);
  }
}

/** Opens `node`'s stats file for appending, creating the stats folder on first use. */
function openStatsFile(layout: SpoolLayout, node: string): number {
  const file = statsFile(layout, node);
  try {
    return openNoFollow(file, APPEND_FLAGS, 0o644);
  } catch (error) {
    if (!isMissing(error)) throw error;
    fsSync.mkdirSync(statsDir(layout), { recursive: true });
    return openNoFollow(file, APPEND_FLAGS, 0o644);
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
    this.fd ??= openStatsFile(this.layout, this.node);
    fsSync.writeSync(this.fd, lines);
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    fsSync.closeSync(fd);
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
