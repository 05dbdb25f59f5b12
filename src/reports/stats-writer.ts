// Appending a node's stats: one appendFile (O_APPEND) per attempt to the node's own file, so nodes
// never contend for a file and a line is never interleaved with another.
import fs from 'node:fs/promises';
import { constants } from 'node:fs';
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
  /** Resolves when every write started so far has ended. */
  settle(): Promise<void>;
}

/**
 * One append in flight at a time; lines recorded meanwhile go out together in the next one, so a node
 * ending hundreds of short chunks a second opens its file a few times, not once per attempt.
 */
export function createStatsRecorder(options: StatsRecorderOptions): StatsRecorder {
  let waiting: { line: string; label: string }[] = [];
  let writing: Promise<void> | undefined;
  const drain = async () => {
    while (waiting.length) {
      const batch = waiting;
      waiting = [];
      await appendStatLines(options.layout, options.node, batch.map((b) => b.line).join('')).catch((error) =>
        options.log(`stats: could not record attempt${batch.length > 1 ? 's' : ''} of ${batch.map((b) => b.label).join(', ')}: ${(error as Error).message}`));
    }
    writing = undefined;
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
      writing ??= drain();
    },
    async settle() {
      await writing;
    },
  };
}
