// The jobs table: one row per job with its progress, counts, elapsed time and ETA.
import type { JobSummary } from '../../jobs/summary.js';
import type { JobState } from '../../jobs/state.js';
import { rowLine, type Column, type FittedColumn, type Line, type Segment, type Tone } from './columns.js';
import { matchesFilter, type FilterTerm } from './filter.js';
import type { JobRow } from './job-row.js';
import { sortJobRows, type JobSortKey } from './sort.js';
import { estimateJob, EMPTY_TIMING, type JobTiming } from './timing.js';
import { bar, formatDuration, formatPercent, printable, type BarGlyphs } from './text.js';


export type { JobRow };

export const STATE_TONES: Record<JobState, Tone> = { running: 'busy', queued: 'normal', paused: 'paused', done: 'good', failed: 'bad', broken: 'bad' };

export function toJobRow(job: JobSummary, timing: JobTiming = EMPTY_TIMING, nowMs: number): JobRow {
  const { chunks } = job;
  const estimate = estimateJob(chunks, job.state, timing, nowMs);
  return {
    id: job.id, name: printable(job.name), owner: printable(job.owner), state: job.state, priority: job.priority, paused: job.paused, pool: job.pool,
    done: chunks.done, total: chunks.total, running: chunks.running, failed: chunks.failed,
    fraction: chunks.total === 0 ? 1 : chunks.done / chunks.total,
    elapsedMs: estimate.elapsedMs, etaMs: estimate.etaMs, reason: job.reason,
    ...(job.group !== undefined ? { group: job.group } : {}),
  };
}

/** Filtered and sorted rows, every job (only the visible ones are turned into lines). */
export function buildJobRows(jobs: readonly JobSummary[], timings: ReadonlyMap<string, JobTiming>, nowMs: number, filter: readonly FilterTerm[], sort: JobSortKey): JobRow[] {
  const rows: JobRow[] = [];
  for (const job of jobs) {
    if (filter.length > 0 && !matchesFilter(filter, { id: job.id, name: job.name, owner: job.owner, state: job.state, pool: job.pool })) continue;
    rows.push(toJobRow(job, timings.get(job.id), nowMs));
  }
  return sortJobRows(rows, sort);
}

export type JobColumn = 'name' | 'owner' | 'state' | 'prio' | 'progress' | 'chunks' | 'run' | 'fail' | 'elapsed' | 'eta' | 'id';

export const JOB_COLUMNS: readonly Column<JobColumn>[] = [
  { key: 'name', title: 'JOB', width: 18, flex: 2, max: 40 },
  { key: 'id', title: 'ID', width: 12, drop: 6 },
  { key: 'owner', title: 'OWNER', width: 8, drop: 4, flex: 0.5, max: 12 },
  { key: 'state', title: 'STATE', width: 7 },
  { key: 'prio', title: 'PRI', width: 4, align: 'right' },
  { key: 'progress', title: 'PROGRESS', width: 12, flex: 1, max: 40 },
  { key: 'chunks', title: 'CHUNKS', width: 9, align: 'right' },
  { key: 'run', title: 'RUN', width: 3, align: 'right', drop: 2 },
  { key: 'fail', title: 'FAIL', width: 4, align: 'right', drop: 3 },
  { key: 'elapsed', title: 'ELAPSED', width: 7, align: 'right', drop: 5 },
  { key: 'eta', title: 'ETA', width: 6, align: 'right' },
];

/** A progress cell: a bar and the percentage after it, `width` wide. */
export function progressText(fraction: number, width: number, glyphs: BarGlyphs): string {
  const label = formatPercent(fraction).padStart(4);
  return width > label.length + 2 ? `${bar(fraction, width - label.length - 1, glyphs)} ${label}` : label;
}

/** A marked job's name starts with this. */
export const MARK = '* ';
/** A group's jobs after its first are indented under it. */
export const GROUP_INDENT = '  ';

export function jobLine(row: JobRow, columns: readonly FittedColumn<JobColumn>[], glyphs: BarGlyphs, selected: boolean, marked = false): Line {
  const progressWidth = columns.find((c) => c.key === 'progress')?.width ?? 0;
  const cells: Record<JobColumn, Segment> = {
    name: marked ? { text: MARK + row.name, tone: 'accent' } : { text: (row.underGroup ? GROUP_INDENT : '') + row.name },
    id: { text: row.id, tone: 'dim' },
    owner: { text: row.owner, tone: 'dim' },
    state: { text: row.state, tone: STATE_TONES[row.state] },
    prio: { text: String(row.priority) },
    progress: { text: progressText(row.fraction, progressWidth, glyphs), tone: row.failed > 0 ? 'warn' : STATE_TONES[row.state] },
    chunks: { text: `${row.done}/${row.total}` },
    run: { text: row.running ? String(row.running) : '-', tone: row.running ? 'busy' : 'dim' },
    fail: { text: row.failed ? String(row.failed) : '-', tone: row.failed ? 'bad' : 'dim' },
    elapsed: { text: formatDuration(row.elapsedMs) },
    eta: { text: formatDuration(row.etaMs) },
  };
  return rowLine(columns, cells, selected);
}
