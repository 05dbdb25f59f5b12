// The ui's pure core: everything the screen shows, computed from spool data, ui state, size and time.
export { buildScreen, type FarmSnapshot, type ScreenOptions, type ScreenView, type PaneView } from './view.js';
export { INITIAL_STATE, focusPane, cyclePane, setFilter, setSelection, cycleSort, scrollLog, type UiState, type TablePane } from './state.js';
export { moveSelection, reconcileSelection, scrollSelection, selectVisibleRow, EMPTY_SELECTION, type Selection } from './selection.js';
export { layoutScreen, visibleRows, PANES, type PaneName, type DetailPane, type Layout, type Rect } from './layout.js';
export { buildJobRows, toJobRow, type JobRow } from './jobs.js';
export { buildChunkRows, toChunkRow, type ChunkRow } from './chunks.js';
export { buildNodeRows, toNodeRow, NODE_SILENT_MS, type NodeRow } from './nodes.js';
export { estimateJob, addChunkTimes, EMPTY_TIMING, type JobTiming, type JobEstimate } from './timing.js';
export { parseFilter, matchesFilter } from './filter.js';
export { sortJobRows, JOB_SORTS, type JobSortKey } from './sort.js';
export { browserEntries, browserTitle, type BrowserEntry, type RawDirEntry } from './browser.js';
export { actionForKey, helpLines, KEY_BINDINGS, KEY_HINTS, type Action } from './keys.js';
export { lineText, type Line, type Segment, type Tone } from './columns.js';
export { ASCII_BARS, UNICODE_BARS, bar, fit, formatDuration, type BarGlyphs } from './text.js';
