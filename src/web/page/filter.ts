// The farm page's filters and sorting: `render list`'s filters (state, owner, name glob), applied to
// the rows the event stream keeps current. Pure, so the tests run it in node.
import type { JobRow } from '../farm-view.js';
import { globToRegExp } from '../../text/glob.js';

export { globToRegExp };

export interface JobFilterState {
  /** Empty: every state. */
  states: string[];
  owner: string;
  name: string;
}

export interface SortState { key: string; descending: boolean }

/** A name field without glob characters searches: `shot` finds `shot_010` as `*shot*` would. */
export function nameMatcher(text: string): RegExp | undefined {
  const trimmed = text.trim();
  if (!trimmed) return undefined;
  return globToRegExp(/[*?[]/.test(trimmed) ? trimmed : `*${trimmed}*`);
}

export function filterJobRows(rows: readonly JobRow[], filter: JobFilterState): JobRow[] {
  const name = nameMatcher(filter.name);
  const owner = filter.owner.trim();
  return rows.filter((job) => (filter.states.length === 0 || filter.states.includes(job.state))
    && (!owner || job.owner === owner)
    && (!name || name.test(job.name)));
}

const JOB_KEYS: Record<string, (j: JobRow) => string | number> = {
  name: (j) => j.name.toLowerCase(), state: (j) => j.state, owner: (j) => j.owner, priority: (j) => j.priority,
  progress: (j) => (j.chunks.total ? j.chunks.done / j.chunks.total : 0), frames: (j) => j.framesTotal,
  eta: (j) => j.etaMs ?? Number.MAX_SAFE_INTEGER, created: (j) => j.createdAt,
};

export const JOB_SORT_KEYS = Object.keys(JOB_KEYS);

/** Sorted by the key (newest first when none), ties by creation then id: a stable order as rows change. */
export function sortJobRows(rows: readonly JobRow[], sort: SortState | undefined): JobRow[] {
  const key = JOB_KEYS[sort?.key ?? 'created'] ?? JOB_KEYS.created;
  const direction = sort ? (sort.descending ? -1 : 1) : -1;
  return [...rows].sort((a, b) => {
    const x = key(a);
    const y = key(b);
    if (x !== y) return (x < y ? -1 : 1) * direction;
    return a.createdAt === b.createdAt ? a.id.localeCompare(b.id) : a.createdAt < b.createdAt ? 1 : -1;
  });
}
