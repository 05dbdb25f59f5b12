// Which frame the preview pane shows: the selected job's frame that landed last, or, while the chunks
// (or a chunk's log) have the focus, the last landed frame of the chunk under the cursor.
import { latestPreview, type PreviewEntry } from '../../previews/paths.js';
import type { Rect } from './layout.js';
import { fit } from './text.js';

export interface PreviewView {
  rect: Rect;
  title: string;
  /** The file to draw, and what changes when it is rewritten (the picture cache's key). */
  file?: { path: string; frame: number; key: string };
  /** Cells inside the border. */
  cols: number;
  rows: number;
}

export function choosePreview(rect: Rect, jobName: string, previews: readonly PreviewEntry[], chunkFrames?: readonly number[]): PreviewView {
  const inChunk = chunkFrames ? previews.filter((p) => chunkFrames.includes(p.frame)) : previews;
  const entry = latestPreview(inChunk);
  const cols = Math.max(1, rect.width - 2);
  const rows = Math.max(1, rect.height - 2);
  // blessed wraps a label longer than its box onto the first row: cut it to the border's width
  const title = (text: string) => fit(text, Math.max(1, rect.width - 6)).trimEnd();
  if (!entry) return { rect, title: title(chunkFrames ? 'preview: none in this chunk' : 'preview'), cols, rows };
  return {
    rect, cols, rows,
    title: title(`frame ${entry.frame}${chunkFrames ? ' of chunk' : ''} · ${jobName}`),
    file: { path: entry.path, frame: entry.frame, key: `${entry.path}:${entry.mtimeMs}:${entry.size}` },
  };
}
