// Writing SVG by hand, safely: every attribute value and text node is escaped here, and numbers are
// rounded so the files stay small and diff well.

export type Attrs = Record<string, string | number | undefined>;

export function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ '&': '&amp;', '<': '&lt;', '>': '&gt;', '"': '&quot;', "'": '&apos;' })[c]!)
    // characters XML 1.0 forbids (control codes from a job name) would make the file unreadable
    .replace(/[\u0000-\u0008\u000b\u000c\u000e-\u001f\ufffe\uffff]/g, '');
}

const num = (value: number) => String(Math.round(value * 100) / 100);

function attributes(attrs: Attrs): string {
  return Object.entries(attrs)
    .filter(([, v]) => v !== undefined)
    .map(([k, v]) => ` ${k}="${typeof v === 'number' ? num(v) : escapeXml(v!)}"`)
    .join('');
}

/** An element; `children` are already-built markup (use `text()` for text). */
export function el(name: string, attrs: Attrs = {}, ...children: string[]): string {
  return children.length ? `<${name}${attributes(attrs)}>${children.join('')}</${name}>` : `<${name}${attributes(attrs)}/>`;
}

export function text(content: string): string {
  return escapeXml(content);
}

/** A text label. */
export function label(x: number, y: number, content: string, attrs: Attrs = {}): string {
  return el('text', { x, y, ...attrs }, text(content));
}

/** A tooltip: browsers show an element's first <title> child on hover. */
export function tooltip(content: string): string {
  return el('title', {}, text(content));
}

export const SVG_NS = 'http://www.w3.org/2000/svg';

/** A chart: standalone <svg> markup and its size. */
export interface Chart {
  svg: string;
  width: number;
  height: number;
}

/** A standalone chart: an <svg> root with its size, a white background and a title. */
export function chartRoot(width: number, height: number, title: string, ...children: string[]): Chart {
  const svg = el('svg', { xmlns: SVG_NS, width, height, viewBox: `0 0 ${num(width)} ${num(height)}`, 'font-family': FONT, 'font-size': 12, role: 'img', 'aria-label': title },
    el('rect', { width, height, fill: '#ffffff' }),
    label(16, 24, title, { 'font-size': 15, 'font-weight': 600, fill: INK }),
    ...children);
  return { svg, width, height };
}

export const FONT = 'system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif';
export const INK = '#1f2933';
export const MUTED = '#7b8794';
export const GRID = '#e4e7eb';
export const ACCENT = '#2f6fde';
export const DANGER = '#d64545';

/** Up to `count` "nice" tick values from 0 to at least `max` (1, 2, 2.5, 5 × 10^n steps). */
export function niceTicks(max: number, count = 5): number[] {
  if (!(max > 0)) return [0, 1];
  const raw = max / count;
  const power = 10 ** Math.floor(Math.log10(raw));
  const step = [1, 2, 2.5, 5, 10].map((m) => m * power).find((s) => s >= raw) ?? 10 * power;
  const ticks: number[] = [];
  for (let v = 0; v < max + step * 0.999; v += step) ticks.push(Math.round(v * 1e6) / 1e6);
  return ticks;
}
