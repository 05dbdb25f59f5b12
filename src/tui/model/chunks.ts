// The chunks table of the selected job: frames, state, node, attempt and the Blender progress a node
// records while the chunk runs (current frame, samples, peak memory).
import type { ChunkSummary } from '../../jobs/summary.js';
import type { ChunkState } from '../../spool/layout.js';
import { rowLine, type Column, type FittedColumn, type Line, type Segment, type Tone } from './columns.js';
import { matchesFilter, type FilterTerm } from './filter.js';
import { bar, formatBytes, formatDuration, formatFrames, parseIsoMs, type BarGlyphs } from './text.js';

export interface ChunkRow {
  id: string;
  frames: string;
  state: ChunkState;
  node?: string;
  attempt: number;
  frame?: number;
  sample?: { done: number; total: number };
  peakMemMB?: number;
  durationMs?: number;
  error?: string;
}

export const CHUNK_TONES: Record<ChunkState, Tone> = { queued: 'normal', running: 'busy', done: 'good', failed: 'bad' };

export function toChunkRow(chunk: ChunkSummary, nowMs: number): ChunkRow {
  const start = parseIsoMs(chunk.startedAt);
  const end = chunk.state === 'running' ? nowMs : parseIsoMs(chunk.endedAt);
  const measured = chunk.state !== 'queued' && start !== undefined && end !== undefined;
  return {
    id: chunk.id,
    frames: formatFrames(chunk.frames),
    state: chunk.state,
    node: chunk.node,
    attempt: chunk.attempt,
    frame: chunk.state === 'running' ? chunk.progress?.frame : undefined,
    sample: chunk.state === 'running' ? chunk.progress?.sample : undefined,
    peakMemMB: chunk.progress?.peakMemMB,
    durationMs: measured ? Math.max(0, end - start) : undefined,
    error: chunk.state === 'failed' ? chunk.error : undefined,
  };
}

/** Chunk order (their ids count up with the frames), filtered. */
export function buildChunkRows(chunks: readonly ChunkSummary[], nowMs: number, filter: readonly FilterTerm[]): ChunkRow[] {
  const rows: ChunkRow[] = [];
  for (const chunk of chunks) {
    if (filter.length > 0 && !matchesFilter(filter, { id: chunk.id, state: chunk.state, node: chunk.node, error: chunk.error })) continue;
    rows.push(toChunkRow(chunk, nowMs));
  }
  return rows;
}

export type ChunkColumn = 'id' | 'frames' | 'state' | 'node' | 'attempt' | 'frame' | 'samples' | 'peak' | 'time' | 'error';

export const CHUNK_COLUMNS: readonly Column<ChunkColumn>[] = [
  { key: 'id', title: 'CHUNK', width: 5 },
  { key: 'frames', title: 'FRAMES', width: 9, flex: 1, max: 20 },
  { key: 'state', title: 'STATE', width: 7 },
  { key: 'node', title: 'NODE', width: 8, flex: 1, max: 16 },
  { key: 'attempt', title: 'TRY', width: 3, align: 'right' },
  { key: 'frame', title: 'FRAME', width: 5, align: 'right' },
  { key: 'samples', title: 'SAMPLES', width: 9, flex: 1, max: 28 },
  { key: 'peak', title: 'PEAK', width: 5, align: 'right', drop: 2 },
  { key: 'time', title: 'TIME', width: 6, align: 'right' },
  { key: 'error', title: 'ERROR', width: 12, flex: 3, drop: 1 },
];

/** Samples as `64/128`, with a bar before it when there is room. */
export function samplesText(sample: ChunkRow['sample'], width: number, glyphs: BarGlyphs): string {
  if (!sample) return '-';
  const label = `${sample.done}/${sample.total}`;
  const room = width - label.length - 1;
  return room >= 3 ? `${bar(sample.total > 0 ? sample.done / sample.total : 0, room, glyphs)} ${label}` : label;
}

export function chunkLine(row: ChunkRow, columns: readonly FittedColumn<ChunkColumn>[], glyphs: BarGlyphs, selected: boolean): Line {
  const samplesWidth = columns.find((c) => c.key === 'samples')?.width ?? 0;
  const cells: Record<ChunkColumn, Segment> = {
    id: { text: row.id },
    frames: { text: row.frames },
    state: { text: row.state, tone: CHUNK_TONES[row.state] },
    node: { text: row.node ?? '-', tone: row.node ? 'normal' : 'dim' },
    attempt: { text: row.attempt > 0 ? String(row.attempt) : '-' },
    frame: { text: row.frame !== undefined ? String(row.frame) : '-' },
    samples: { text: samplesText(row.sample, samplesWidth, glyphs), tone: row.sample ? 'busy' : 'dim' },
    peak: { text: row.peakMemMB !== undefined ? formatBytes(row.peakMemMB * 1024 * 1024) : '-' },
    time: { text: formatDuration(row.durationMs) },
    error: { text: row.error ?? '', tone: 'bad' },
  };
  return rowLine(columns, cells, selected);
}
