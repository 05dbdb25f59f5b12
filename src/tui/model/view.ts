// The whole screen as data: from what was read off the spool, the ui state, the terminal size and the
// time, the lines of every pane. The blessed shell only paints these; tests and the benchmark call it.
import type { ChunkSummary, JobSummary } from '../../jobs/summary.js';
import type { NodeRecord } from '../../spool/records.js';
import type { PreviewEntry } from '../../previews/paths.js';
import { choosePreview, type PreviewView } from './preview.js';
import { fitColumns, headerLine, textLine, type Line, type Tone } from './columns.js';
import { buildChunkRows, chunkLine, CHUNK_COLUMNS, type ChunkRow } from './chunks.js';
import { parseFilter } from './filter.js';
import { buildJobRows, jobLine, JOB_COLUMNS, type JobRow } from './jobs.js';
import { KEY_HINTS } from './keys.js';
import { layoutScreen, visibleRows, type Layout, type PaneName, type Rect } from './layout.js';
import { maxLogScroll, tailLogLines } from './log.js';
import { buildNodeRows, nodeLine, NODE_COLUMNS, type NodeRow } from './nodes.js';
import { reconcileSelection } from './selection.js';
import type { TablePane, UiState } from './state.js';
import { fit, type BarGlyphs } from './text.js';
import type { JobTiming } from './timing.js';

/** What the shell read off the spool for one frame. */
export interface FarmSnapshot {
  spool: string;
  jobs: readonly JobSummary[];
  timings: ReadonlyMap<string, JobTiming>;
  nodes: readonly NodeRecord[];
  /** How long each node's heartbeat has stood still, on the ui's monotonic clock. */
  nodeSilentMs: ReadonlyMap<string, number>;
  /** Chunks of the job they were read for (the selected one, unless the selection just moved). */
  chunks?: { job: string; list: readonly ChunkSummary[] };
  log?: { job: string; chunk: string; attempt: number; text: string };
  /** Frame previews of the job they were read for. */
  previews?: { job: string; list: readonly PreviewEntry[] };
}

export interface ScreenOptions {
  width: number;
  height: number;
  nowMs: number;
  glyphs: BarGlyphs;
  status?: { text: string; tone: Tone };
}

export interface PaneView { name: PaneName; rect: Rect; title: string; focused: boolean; lines: Line[] }

export interface ScreenView {
  /** The state with every selection fitted to the rows there are now. */
  state: UiState;
  layout: Layout;
  header: Line;
  footer: Line;
  panes: PaneView[];
  /** Row ids of each table in display order, and how many rows its pane shows. */
  rowIds: Record<TablePane, string[]>;
  visible: Record<PaneName, number>;
  logMaxScroll: number;
  /** The rows of the marked jobs, in table order. */
  markedJobs: JobRow[];
  /** The frame preview beside the jobs, when the selected job has one and there is room. */
  preview?: PreviewView;
  selectedJob?: JobRow;
  selectedChunk?: ChunkRow;
  selectedNode?: NodeRow;
}

export function buildScreen(farm: FarmSnapshot, state: UiState, options: ScreenOptions): ScreenView {
  const { width, height, nowMs, glyphs } = options;
  let layout = layoutScreen(width, height, state.detail, farm.nodes.length);
  const rect = layout.panes;
  const visible = { jobs: visibleRows(rect.jobs), chunks: visibleRows(rect.chunks), nodes: visibleRows(rect.nodes), log: visibleRows(rect.log) + 1 };
  const inner = (r: Rect | undefined) => Math.max(1, (r?.width ?? width) - 2);

  const jobRows = buildJobRows(farm.jobs, farm.timings, nowMs, parseFilter(state.filters.jobs), state.jobSort);
  const jobIds = jobRows.map((r) => r.id);
  const jobSel = reconcileSelection(state.selections.jobs, jobIds, visible.jobs);
  const selectedJob = jobRows[jobSel.index];
  // the preview only narrows the jobs pane: rows, and so the selection, stay as they are
  const previews = selectedJob && farm.previews?.job === selectedJob.id ? farm.previews.list : [];
  if (previews.length > 0) {
    layout = layoutScreen(width, height, state.detail, farm.nodes.length, true);
    Object.assign(rect, layout.panes);
  }

  const chunksLoaded = selectedJob !== undefined && farm.chunks?.job === selectedJob.id;
  const chunkRows = chunksLoaded ? buildChunkRows(farm.chunks!.list, nowMs, parseFilter(state.filters.chunks)) : [];
  const chunkIds = chunkRows.map((r) => r.id);
  const chunkSel = reconcileSelection(state.selections.chunks, chunkIds, visible.chunks);
  const selectedChunk = chunkRows[chunkSel.index];

  const jobNames = new Map(farm.jobs.map((j) => [j.id, j.name]));
  const nodeRows = buildNodeRows(farm.nodes, farm.nodeSilentMs, jobNames, parseFilter(state.filters.nodes));
  const nodeIds = nodeRows.map((r) => r.name);
  const nodeSel = reconcileSelection(state.selections.nodes, nodeIds, visible.nodes);

  const shownMarks = state.marks.filter((id) => jobIds.includes(id));
  const marks = shownMarks.length === state.marks.length ? state.marks : shownMarks;
  const next: UiState = { ...state, marks, selections: { jobs: jobSel, chunks: chunkSel, nodes: nodeSel } };
  const panes: PaneView[] = [];
  const add = (name: PaneName, title: string, lines: Line[]) => {
    if (rect[name]) panes.push({ name, rect: rect[name]!, title, focused: state.focus === name, lines });
  };
  const filterNote = (pane: PaneName) => (state.filters[pane] ? ` [/${state.filters[pane]}]` : '');

  if (rect.jobs) {
    const columns = fitColumns(JOB_COLUMNS, inner(rect.jobs));
    const lines = jobRows.slice(jobSel.offset, jobSel.offset + visible.jobs).map((row, i) => jobLine(row, columns, glyphs, jobSel.offset + i === jobSel.index, marks.includes(row.id)));
    if (farm.jobs.length === 0) lines.push(textLine('no jobs on this spool: press a to add a .blend', 'dim'));
    add('jobs', `jobs ${jobRows.length}${jobRows.length === farm.jobs.length ? '' : `/${farm.jobs.length}`} · ${state.jobSort} order${marks.length ? ` · ${marks.length} marked` : ''}${filterNote('jobs')}`, [headerLine(columns), ...lines]);
  }
  if (rect.chunks) {
    const columns = fitColumns(CHUNK_COLUMNS, inner(rect.chunks));
    const lines = chunkRows.slice(chunkSel.offset, chunkSel.offset + visible.chunks).map((row, i) => chunkLine(row, columns, glyphs, chunkSel.offset + i === chunkSel.index));
    if (selectedJob?.reason) lines.unshift(textLine(`${selectedJob.state}: ${selectedJob.reason}`, 'bad'));
    if (!selectedJob) lines.push(textLine('no job selected', 'dim'));
    else if (!chunksLoaded) lines.push(textLine('reading chunks…', 'dim'));
    add('chunks', selectedJob ? `chunks of ${selectedJob.name} (${selectedJob.id})${filterNote('chunks')}` : 'chunks', [headerLine(columns), ...lines]);
  }
  if (rect.nodes) {
    const columns = fitColumns(NODE_COLUMNS, inner(rect.nodes));
    const lines = nodeRows.slice(nodeSel.offset, nodeSel.offset + visible.nodes).map((row, i) => nodeLine(row, columns, glyphs, nodeSel.offset + i === nodeSel.index));
    if (farm.nodes.length === 0) lines.push(textLine('no nodes: start renderd on a machine that sees this spool', 'dim'));
    const busy = nodeRows.filter((n) => n.running.length > 0).length;
    add('nodes', `nodes ${nodeRows.length} · ${busy} busy${filterNote('nodes')}`, [headerLine(columns), ...lines]);
  }
  let logMaxScroll = 0;
  if (rect.log) {
    const { lines, title, max } = logPane(farm, selectedJob, selectedChunk, state, visible.log, inner(rect.log));
    logMaxScroll = max;
    add('log', title + filterNote('log'), lines);
  }
  const preview = layout.preview && selectedJob
    ? choosePreview(layout.preview, selectedJob.name, previews, state.focus === 'chunks' || state.focus === 'log' ? chunkFrames(farm, selectedChunk) : undefined)
    : undefined;
  return {
    state: next, layout, panes, visible, logMaxScroll, selectedJob, preview, markedJobs: jobRows.filter((r) => marks.includes(r.id)), selectedChunk, selectedNode: nodeRows[nodeSel.index],
    rowIds: { jobs: jobIds, chunks: chunkIds, nodes: nodeIds },
    header: headerBar(farm, width, nowMs),
    footer: options.status ? textLine(fit(options.status.text, width), options.status.tone) : hintsLine(width),
  };
}

function chunkFrames(farm: FarmSnapshot, chunk: ChunkRow | undefined): readonly number[] | undefined {
  return chunk ? farm.chunks?.list.find((c) => c.id === chunk.id)?.frames : undefined;
}

function logPane(farm: FarmSnapshot, job: JobRow | undefined, chunk: ChunkRow | undefined, state: UiState, rows: number, width: number) {
  if (!job || !chunk) return { title: 'log', lines: [textLine('select a chunk to see its log', 'dim')], max: 0 };
  const title = `log of ${job.name} chunk ${chunk.id}${chunk.attempt > 0 ? `, attempt ${chunk.attempt}` : ''}${state.logScroll > 0 ? ` (${state.logScroll} up)` : ''}`;
  if (chunk.attempt === 0) return { title, lines: [textLine('this chunk has not run yet', 'dim')], max: 0 };
  const log = farm.log;
  if (!log || log.job !== job.id || log.chunk !== chunk.id || log.attempt !== chunk.attempt) return { title, lines: [textLine('reading log…', 'dim')], max: 0 };
  if (log.text === '') return { title, lines: [textLine('(empty)', 'dim')], max: 0 };
  const lines = tailLogLines(log.text, rows, state.logScroll, state.filters.log).map((line) => textLine(fit(line, width)));
  return { title, lines, max: maxLogScroll(log.text, rows) };
}

function headerBar(farm: FarmSnapshot, width: number, nowMs: number): Line {
  const count = (s: JobSummary['state']) => farm.jobs.filter((j) => j.state === s).length;
  const time = new Date(nowMs).toTimeString().slice(0, 8);
  const left = ` renderd · ${farm.jobs.length} jobs: ${count('running')} running, ${count('queued')} queued, ${count('paused')} paused, ${count('failed')} failed, ${count('done')} done${count('broken') ? `, ${count('broken')} broken` : ''} · ${farm.nodes.length} nodes`;
  // the spool path goes first when there is no room for everything, the time last
  for (const right of [`${farm.spool}  ${time} `, `${time} `]) {
    const gap = width - left.length - right.length;
    if (gap >= 1) return textLine(left + ' '.repeat(gap) + right, 'accent');
  }
  return textLine(fit(left, width), 'accent');
}

/** Key hints, key in bold and meaning dimmed; when they do not fit, the least needed are left out. */
export function hintsLine(width: number): Line {
  const size = (hints: readonly (typeof KEY_HINTS)[number][]) => hints.reduce((sum, [key, meaning]) => sum + 1 + key.length + 1 + meaning.length, 0);
  let hints = [...KEY_HINTS];
  while (hints.length > 0 && size(hints) > width) {
    const least = hints.reduce((a, b) => (b[2] > a[2] ? b : a));
    hints = hints.filter((h) => h !== least);
  }
  return { segments: hints.flatMap(([key, meaning]) => [{ text: ' ' }, { text: key, tone: 'accent' as const }, { text: ` ${meaning}`, tone: 'dim' as const }]) };
}
