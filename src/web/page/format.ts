// How numbers read on the page: durations, bytes, shares. Pure. Durations and sizes are the CLI's and
// the ui's own modules (src/text, served at /text/), blank when unknown.
import { formatDuration as duration } from '../../text/duration.js';
import { formatBytes as size } from '../../text/bytes.js';

export function formatDuration(ms: number | undefined): string {
  return duration(ms, '');
}

export function formatBytes(bytes: number | undefined): string {
  return bytes === undefined || !Number.isFinite(bytes) ? '' : size(bytes);
}

export function formatTime(iso: string | undefined): string {
  if (!iso) return '';
  const date = new Date(iso);
  return Number.isNaN(date.getTime()) ? '' : date.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false });
}

/** Between two ISO times, in ms; undefined when either is missing. */
export function spanMs(start: string | undefined, end: string | undefined): number | undefined {
  if (!start || !end) return undefined;
  const ms = Date.parse(end) - Date.parse(start);
  return Number.isFinite(ms) && ms >= 0 ? ms : undefined;
}

/** A preview's file name, as previews/paths.ts pads it (0001, -001). */
export function previewName(frame: number): string {
  const digits = String(Math.abs(frame)).padStart(frame < 0 ? 3 : 4, '0');
  return `${frame < 0 ? '-' : ''}${digits}.png`;
}
