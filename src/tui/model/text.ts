// Cell text for the ui's tables: fitting to a width, bars, durations. Pure, no terminal involved.
import { printable } from '../../printable.js';
export { printable };
export { formatBytes } from '../../text/bytes.js';
export { formatDuration } from '../../text/duration.js';

/** Characters a bar is drawn with: block glyphs on a UTF-8 terminal, ASCII elsewhere. */
export interface BarGlyphs { full: string; empty: string }
export const UNICODE_BARS: BarGlyphs = Object.freeze({ full: '█', empty: '░' });
export const ASCII_BARS: BarGlyphs = Object.freeze({ full: '#', empty: '.' });

/** A bar `width` wide for a fraction in [0, 1]; out of range or NaN is clamped (NaN is empty). */
export function bar(fraction: number, width: number, glyphs: BarGlyphs = ASCII_BARS): string {
  if (width <= 0) return '';
  const clamped = Number.isFinite(fraction) ? Math.max(0, Math.min(1, fraction)) : 0;
  // floor, so a bar is full only when the work is: 99.9 % shows one empty cell
  const full = Math.floor(clamped * width + 1e-9);
  return glyphs.full.repeat(full) + glyphs.empty.repeat(width - full);
}

/** Cuts or pads `text` to exactly `width` columns; a cut ends in '…' so the reader knows. */
export function fit(raw: string, width: number, align: 'left' | 'right' = 'left'): string {
  if (width <= 0) return '';
  const text = printable(raw);
  if (text.length > width) return width === 1 ? '…' : text.slice(0, width - 1) + '…';
  return align === 'left' ? text.padEnd(width) : text.padStart(width);
}

/** Whole percent, never 100 % before the work is all done. */
export function formatPercent(fraction: number): string {
  if (!Number.isFinite(fraction) || fraction <= 0) return '0%';
  if (fraction >= 1) return '100%';
  return `${Math.min(99, Math.floor(fraction * 100))}%`;
}

/** Frames as a short spec: 1-10, 1-20x2, or 1,5,9 (lists cut by `fit` later). */
export function formatFrames(frames: readonly number[]): string {
  if (frames.length === 0) return '';
  if (frames.length === 1) return String(frames[0]);
  const step = frames[1] - frames[0];
  const even = step > 0 && frames.every((f, i) => i === 0 || f - frames[i - 1] === step);
  if (even) return `${frames[0]}-${frames[frames.length - 1]}${step === 1 ? '' : `x${step}`}`;
  return frames.join(',');
}

/** Milliseconds since the epoch from a record's ISO time; undefined when absent or unreadable. */
export function parseIsoMs(iso: string | undefined): number | undefined {
  if (!iso) return undefined;
  const ms = Date.parse(iso);
  return Number.isFinite(ms) ? ms : undefined;
}
