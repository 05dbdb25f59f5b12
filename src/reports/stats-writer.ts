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
  const line = formatStatLine(stat);
  const file = statsFile(layout, stat.node);
  try {
    await appendLine(file, line);
  } catch (error) {
    if (!isMissing(error)) throw error;
    await fs.mkdir(statsDir(layout), { recursive: true });
    await appendLine(file, line);
  }
}

/** One write of the whole line with O_APPEND: it lands at the end, in one piece. */
async function appendLine(file: string, line: string): Promise<void> {
  const handle = await fs.open(file, APPEND_FLAGS, 0o644);
  try {
    await handle.appendFile(line);
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

export function createStatsRecorder(options: StatsRecorderOptions): StatsRecorder {
  const pending = new Set<Promise<void>>();
  return {
    record(event) {
      const label = `${event.job.id}/${event.record.id}`;
      const write = (async () => appendAttemptStat(options.layout, attemptStatOf(event, options, options.clock.wallIso())))()
        .catch((error) => options.log(`stats: could not record attempt of ${label}: ${(error as Error).message}`))
        .finally(() => pending.delete(write));
      pending.add(write);
    },
    async settle() {
      await Promise.all([...pending]);
    },
  };
}
