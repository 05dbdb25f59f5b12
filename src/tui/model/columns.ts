// Table columns fitted to the room there is: optional columns drop out on a narrow terminal, flexible
// ones (names, bars) take what a wide one leaves. Pure: the same width always gives the same table.
import { fit } from './text.js';

/** How a piece of a line is coloured; the screen maps tones to colours. */
export type Tone = 'normal' | 'dim' | 'good' | 'busy' | 'warn' | 'bad' | 'paused' | 'accent';

export interface Segment { text: string; tone?: Tone }

export interface Line {
  segments: Segment[];
  selected?: boolean;
}

export interface Column<K extends string = string> {
  key: K;
  title: string;
  /** Width when fixed; the smallest width when flexible. */
  width: number;
  /** Takes a share of the leftover room, in proportion to its weight (true = 1), up to `max`. */
  flex?: boolean | number;
  max?: number;
  align?: 'left' | 'right';
  /** Columns with a higher number are dropped first when the table is too wide; none: always shown. */
  drop?: number;
}

export interface FittedColumn<K extends string = string> {
  key: K;
  title: string;
  width: number;
  align: 'left' | 'right';
}

export const COLUMN_GAP = 1;

function tableWidth(columns: readonly Column[]): number {
  return columns.reduce((sum, c) => sum + c.width, 0) + COLUMN_GAP * Math.max(0, columns.length - 1);
}

export function fitColumns<K extends string>(columns: readonly Column<K>[], width: number): FittedColumn<K>[] {
  let kept = [...columns];
  while (tableWidth(kept) > width) {
    const droppable = kept.filter((c) => c.drop !== undefined);
    if (droppable.length === 0) break;
    const worst = droppable.reduce((a, b) => (b.drop! >= a.drop! ? b : a));
    kept = kept.filter((c) => c !== worst);
  }
  const widths = kept.map((c) => c.width);
  let spare = width - tableWidth(kept);
  const weight = (c: Column) => (c.flex === true ? 1 : typeof c.flex === 'number' ? c.flex : 0);
  // hand out spare room in rounds, so a column that reaches its max leaves the rest to the others
  for (let round = 0; spare > 0 && round < 8; round++) {
    const open = kept.map((c, i) => i).filter((i) => weight(kept[i]) > 0 && widths[i] < (kept[i].max ?? Infinity));
    const total = open.reduce((sum, i) => sum + weight(kept[i]), 0);
    if (total === 0) break;
    let given = 0;
    for (const i of open) {
      const room = (kept[i].max ?? Infinity) - widths[i];
      const share = Math.min(room, Math.max(1, Math.floor((spare * weight(kept[i])) / total)));
      const step = Math.min(share, spare - given);
      widths[i] += step;
      given += step;
      if (given >= spare) break;
    }
    spare -= given;
  }
  return kept.map((c, i) => ({ key: c.key, title: c.title, width: widths[i], align: c.align ?? 'left' }));
}

/** The column titles as one line. */
export function headerLine(columns: readonly FittedColumn[]): Line {
  return { segments: [{ text: joinCells(columns, columns.map((c) => c.title)), tone: 'accent' }] };
}

function joinCells(columns: readonly FittedColumn[], texts: string[]): string {
  return columns.map((c, i) => fit(texts[i] ?? '', c.width, c.align)).join(' '.repeat(COLUMN_GAP));
}

/** One table row: each column's cell fitted to its width, with its tone. */
export function rowLine<K extends string>(columns: readonly FittedColumn<K>[], cells: Record<K, Segment>, selected = false): Line {
  const segments: Segment[] = [];
  columns.forEach((c, i) => {
    if (i > 0) segments.push({ text: ' '.repeat(COLUMN_GAP) });
    const cell = cells[c.key];
    segments.push({ text: fit(cell.text, c.width, c.align), tone: cell.tone });
  });
  return { segments, selected };
}

/** A line of plain text (messages, log lines). */
export function textLine(text: string, tone?: Tone): Line {
  return { segments: [{ text, tone }] };
}

export function lineText(line: Line): string {
  return line.segments.map((s) => s.text).join('');
}
