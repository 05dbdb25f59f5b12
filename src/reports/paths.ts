// Where the reports live on the spool. Kept here, not in spool/layout.ts, because only reports use them:
//   stats/<node>.ndjson   one JSON line per recorded attempt, appended by that node alone
import path from 'node:path';
import type { SpoolLayout } from '../spool/layout.js';

export const STATS_SUFFIX = '.ndjson';

export function statsDir(layout: SpoolLayout): string {
  return path.join(layout.root, 'stats');
}

/** The previous generation of a node's stats: its file is rotated here past STATS_ROTATE_BYTES. */
export function previousStatsFile(layout: SpoolLayout, node: string): string {
  return path.join(statsDir(layout), `${node}.previous${STATS_SUFFIX}`);
}

export function statsFile(layout: SpoolLayout, node: string): string {
  return path.join(statsDir(layout), `${node}${STATS_SUFFIX}`);
}

/** The job-level hooks' output, beside the chunks' logs. */
export function jobEventsLog(layout: SpoolLayout, job: string): string {
  return path.join(layout.logsDir(job), 'job-events.log');
}
