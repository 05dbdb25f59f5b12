// Where each pane goes for a terminal size. 80x24 shows the jobs and one detail pane (chunks, nodes
// or log, switched with tab); a tall terminal shows all four; a wide and tall one puts the log beside
// the chunks.

export const PANES = ['jobs', 'chunks', 'nodes', 'log'] as const;
export type PaneName = (typeof PANES)[number];
export type DetailPane = Exclude<PaneName, 'jobs'>;

export interface Rect { left: number; top: number; width: number; height: number }

export interface Layout {
  header: Rect;
  footer: Rect;
  /** The panes shown, in drawing order; a pane that is absent is hidden. */
  panes: Partial<Record<PaneName, Rect>>;
  /** The frame preview, beside the jobs table, when asked for and there is room. */
  preview?: Rect;
}

/** A pane's border and column titles; the rest of its height is rows. */
export const PANE_CHROME_ROWS = 3;
/** From this height on, every pane has a place of its own. */
export const TALL_ROWS = 40;
/** From this width on (and tall), the log sits beside the chunks. */
export const WIDE_COLUMNS = 160;

/** The jobs table keeps at least this width beside a preview (name, state, progress, chunks, ETA). */
export const JOBS_MIN_WIDTH = 56;
/** A preview narrower or lower than this (border included) shows too little: it is left out. */
export const PREVIEW_MIN = { width: 24, height: 6 };

export function layoutScreen(width: number, height: number, detail: DetailPane, nodeCount: number, preview = false): Layout {
  const layout = layoutPanes(width, height, detail, nodeCount);
  return preview ? withPreview(layout) : layout;
}

/** Takes the right of the jobs pane for the preview: about a third of the width, up to 64 columns. */
function withPreview(layout: Layout): Layout {
  const jobs = layout.panes.jobs;
  if (!jobs || jobs.height < PREVIEW_MIN.height) return layout;
  const width = Math.min(64, Math.max(PREVIEW_MIN.width, Math.floor(jobs.width * 0.3)));
  if (jobs.width - width < JOBS_MIN_WIDTH) return layout;
  return {
    ...layout,
    panes: { ...layout.panes, jobs: { ...jobs, width: jobs.width - width } },
    preview: { left: jobs.left + jobs.width - width, top: jobs.top, width, height: jobs.height },
  };
}

function layoutPanes(width: number, height: number, detail: DetailPane, nodeCount: number): Layout {
  const w = Math.max(20, width);
  const h = Math.max(8, height);
  const header: Rect = { left: 0, top: 0, width: w, height: 1 };
  const footer: Rect = { left: 0, top: h - 1, width: w, height: 1 };
  const body = h - 2;
  const row = (top: number, height: number, left = 0, width = w): Rect => ({ left, top, width, height });
  const minPane = PANE_CHROME_ROWS + 2;
  if (h < TALL_ROWS) {
    // the nodes pane is as tall as its rows need; chunks and log take half
    const half = Math.floor(body / 2);
    const wanted = detail === 'nodes' ? nodeCount + PANE_CHROME_ROWS : half;
    const below = Math.max(Math.min(minPane, body - minPane), Math.min(wanted, half));
    return { header, footer, panes: { jobs: row(1, body - below), [detail]: row(1 + body - below, below) } };
  }
  // nodes get a row each, up to a quarter of the screen; what is left is shared by the others
  const nodes = Math.max(minPane, Math.min(nodeCount + PANE_CHROME_ROWS, Math.floor(body * 0.25)));
  const rest = body - nodes;
  if (w >= WIDE_COLUMNS) {
    const jobs = Math.floor(rest * 0.5);
    const chunksWidth = Math.floor(w * 0.6);
    return { header, footer, panes: {
      jobs: row(1, jobs),
      chunks: row(1 + jobs, rest - jobs, 0, chunksWidth),
      log: row(1 + jobs, rest - jobs, chunksWidth, w - chunksWidth),
      nodes: row(1 + rest, nodes),
    } };
  }
  const jobs = Math.floor(rest * 0.4);
  const chunks = Math.floor(rest * 0.3);
  return { header, footer, panes: {
    jobs: row(1, jobs),
    chunks: row(1 + jobs, chunks),
    nodes: row(1 + jobs + chunks, nodes),
    log: row(1 + jobs + chunks + nodes, rest - jobs - chunks),
  } };
}

/** Rows of a pane's table (its height less border and titles). */
export function visibleRows(rect: Rect | undefined): number {
  return rect ? Math.max(1, rect.height - PANE_CHROME_ROWS) : 1;
}
