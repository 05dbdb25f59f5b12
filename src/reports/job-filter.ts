// `render list` filters (state, owner, name glob, node, created since): option values checked once
// into a JobFilter, then a pure filter over job summaries.
import { UsageError } from '../errors.js';
import { JOB_STATES, type JobState } from '../jobs/state.js';
import type { JobSummary } from '../jobs/summary.js';
import { isSafeName } from '../spool/layout.js';
import { parseDuration } from '../jobs/values.js';
import { globToRegExp } from '../text/glob.js';

export { globToRegExp };

export interface RawListFilter {
  state?: string;
  owner?: string;
  name?: string;
  node?: string;
  since?: string;
}

export interface JobFilter {
  states?: JobState[];
  owner?: string;
  name?: RegExp;
  /** Jobs that ran or run a chunk on the node (looked up by the caller: see jobsSeenOnNode). */
  node?: string;
  /** Created at or after this wall-clock time (ms). */
  createdFromMs?: number;
}

/** Checks the option values; `nowMs` anchors --since. Throws a UsageError naming the flag. */
export function resolveJobFilter(raw: RawListFilter, nowMs: number): JobFilter {
  const filter: JobFilter = {};
  if (raw.state !== undefined) {
    const states = raw.state.split(',').map((s) => s.trim()).filter(Boolean);
    const bad = states.find((s) => !(JOB_STATES as readonly string[]).includes(s));
    if (bad !== undefined || states.length === 0) throw new UsageError(`--state must be one or more of ${JOB_STATES.join(', ')} (comma-separated), got '${raw.state}'`);
    filter.states = states as JobState[];
  }
  if (raw.owner !== undefined) filter.owner = raw.owner;
  if (raw.name !== undefined) filter.name = globToRegExp(raw.name);
  if (raw.node !== undefined) {
    if (!isSafeName(raw.node)) throw new UsageError(`--node '${raw.node}' is not a node name`);
    filter.node = raw.node;
  }
  if (raw.since !== undefined) filter.createdFromMs = nowMs - parseDuration(raw.since, '--since');
  return filter;
}

/** The jobs that pass every filter given; `nodeJobs` is required when filter.node is set. */
export function filterJobs(jobs: JobSummary[], filter: JobFilter, nodeJobs?: ReadonlySet<string>): JobSummary[] {
  return jobs.filter((job) =>
    (!filter.states || filter.states.includes(job.state))
    && (filter.owner === undefined || job.owner === filter.owner)
    && (!filter.name || filter.name.test(job.name))
    && (filter.node === undefined || (nodeJobs?.has(job.id) ?? false))
    && (filter.createdFromMs === undefined || Date.parse(job.createdAt) >= filter.createdFromMs));
}

export function isFiltering(filter: JobFilter): boolean {
  return Object.keys(filter).length > 0;
}
