// Plain-text tables and bars for the terminal.
import { printable } from '../printable.js';

export { printable };

export function table(rows: string[][], header?: string[]): string {
  const all = (header ? [header, ...rows] : rows).map((row) => row.map((cell) => printable(cell)));
  const widths = all[0]?.map((_, i) => Math.max(...all.map((row) => (row[i] ?? '').length))) ?? [];
  return all.map((row) => row.map((cell, i) => (i === row.length - 1 ? cell : cell.padEnd(widths[i]))).join('  ').trimEnd()).join('\n');
}

export function bar(fraction: number, width: number): string {
  const clamped = Math.max(0, Math.min(1, Number.isFinite(fraction) ? fraction : 0));
  const full = Math.round(clamped * width);
  return '#'.repeat(full) + '.'.repeat(width - full);
}

export { formatBytes as bytes } from '../text/bytes.js';
