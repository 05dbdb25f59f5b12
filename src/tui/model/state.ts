// What the ui remembers between frames: the focused pane, the detail pane of a small screen, filters,
// the jobs order, each table's selection and how far the log is scrolled. Changed only by these
// pure functions, so a key press is a state in, a state out.
import { PANES, type DetailPane, type PaneName } from './layout.js';
import { EMPTY_SELECTION, type Selection } from './selection.js';
import { nextJobSort, type JobSortKey } from './sort.js';

export type TablePane = Exclude<PaneName, 'log'>;

export interface UiState {
  focus: PaneName;
  /** The pane under the jobs on a screen too small for all four. */
  detail: DetailPane;
  filters: Readonly<Record<PaneName, string>>;
  jobSort: JobSortKey;
  selections: Readonly<Record<TablePane, Selection>>;
  /** Lines up from the end of the log; 0 follows its tail. */
  logScroll: number;
  /** Marked jobs, which p, r, d, + and - act on together; kept to the jobs shown. */
  marks: readonly string[];
}

export const INITIAL_STATE: UiState = Object.freeze({
  focus: 'jobs',
  detail: 'nodes',
  filters: Object.freeze({ jobs: '', chunks: '', nodes: '', log: '' }),
  jobSort: 'farm',
  selections: Object.freeze({ jobs: EMPTY_SELECTION, chunks: EMPTY_SELECTION, nodes: EMPTY_SELECTION }),
  logScroll: 0,
  marks: Object.freeze([]) as readonly string[],
});

/** Marks or unmarks one job. */
export function toggleMark(state: UiState, id: string, on = !state.marks.includes(id)): UiState {
  const others = state.marks.filter((m) => m !== id);
  return { ...state, marks: on ? [...others, id] : others };
}

/** Marks every job shown, or, when they all are already, none. */
export function toggleAllMarks(state: UiState, shown: readonly string[]): UiState {
  const all = shown.length > 0 && shown.every((id) => state.marks.includes(id));
  return { ...state, marks: all ? [] : [...shown] };
}

export function clearMarks(state: UiState): UiState {
  return state.marks.length ? { ...state, marks: [] } : state;
}

/** Focuses a pane; a detail pane also becomes the one shown under the jobs. */
export function focusPane(state: UiState, pane: PaneName): UiState {
  return { ...state, focus: pane, detail: pane === 'jobs' ? state.detail : pane };
}

export function cyclePane(state: UiState, step: 1 | -1): UiState {
  const i = PANES.indexOf(state.focus);
  return focusPane(state, PANES[(i + step + PANES.length) % PANES.length]);
}

export function setFilter(state: UiState, pane: PaneName, text: string): UiState {
  return { ...state, filters: { ...state.filters, [pane]: text.trim() }, logScroll: pane === 'log' ? 0 : state.logScroll };
}

export function setSelection(state: UiState, pane: TablePane, selection: Selection): UiState {
  const changedJob = pane === 'jobs' && selection.id !== state.selections.jobs.id;
  const changedChunk = pane === 'chunks' && selection.id !== state.selections.chunks.id;
  const selections = { ...state.selections, [pane]: selection };
  // another job's chunks start from the top; another chunk's log from its tail
  if (changedJob) selections.chunks = EMPTY_SELECTION;
  return { ...state, selections, logScroll: changedJob || changedChunk ? 0 : state.logScroll };
}

export function cycleSort(state: UiState): UiState {
  return { ...state, jobSort: nextJobSort(state.jobSort) };
}

export function scrollLog(state: UiState, delta: number, maxScroll: number): UiState {
  return { ...state, logScroll: Math.max(0, Math.min(maxScroll, state.logScroll + delta)) };
}
