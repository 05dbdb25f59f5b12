// Orders for the jobs table; `s` cycles through them. The first is the farm's own: what nodes claim next.
import type { JobState } from '../../jobs/state.js';
import type { JobRow } from './job-row.js';

export const JOB_SORTS = ['farm', 'newest', 'name', 'progress'] as const;
export type JobSortKey = (typeof JOB_SORTS)[number];

/** Jobs still to render first (running, then waiting), then failed, then done. */
const STATE_RANK: Record<JobState, number> = { running: 0, queued: 1, paused: 2, failed: 3, broken: 3, done: 4 };

const byId = (a: JobRow, b: JobRow) => (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);

// job ids begin with the submission time in base 36, so id order is submission order
const COMPARE: Record<JobSortKey, (a: JobRow, b: JobRow) => number> = {
  farm: (a, b) => STATE_RANK[a.state] - STATE_RANK[b.state] || b.priority - a.priority || byId(a, b),
  newest: (a, b) => byId(b, a),
  name: (a, b) => a.name.localeCompare(b.name) || byId(a, b),
  progress: (a, b) => b.fraction - a.fraction || byId(a, b),
};

export function sortJobRows(rows: readonly JobRow[], key: JobSortKey): JobRow[] {
  return groupTogether([...rows].sort(COMPARE[key]));
}

/** A group's jobs one under the other, where its first job in this order stands; the rest marked `underGroup`. */
export function groupTogether(sorted: readonly JobRow[]): JobRow[] {
  const members = new Map<string, JobRow[]>();
  for (const row of sorted) if (row.group !== undefined) members.set(row.group, [...(members.get(row.group) ?? []), row]);
  const out: JobRow[] = [];
  for (const row of sorted) {
    if (row.group === undefined) out.push(row);
    else if (members.get(row.group)![0] === row) out.push(...members.get(row.group)!.map((m, i) => (i > 0 ? { ...m, underGroup: true } : m)));
  }
  return out;
}

export function nextJobSort(key: JobSortKey): JobSortKey {
  return JOB_SORTS[(JOB_SORTS.indexOf(key) + 1) % JOB_SORTS.length];
}
