// Small pictures: a node's CPU/memory/swap sparkline (SVG) and a job's time per frame (canvas, as a
// job may have 100,000 frames). Colours come from the stylesheet, so light and dark both read.
import { svg } from './dom.js';

/** A polyline of shares (0..1), newest at the right. */
export function sparkline(values: readonly number[], label: string, width = 64, height = 16): SVGElement {
  const step = values.length > 1 ? width / (values.length - 1) : width;
  const points = values.map((v, i) => `${(i * step).toFixed(1)},${(height - Math.max(0, Math.min(1, v)) * (height - 2) - 1).toFixed(1)}`).join(' ');
  return svg('svg', { class: 'spark', width, height, viewBox: `0 0 ${width} ${height}`, role: 'img', 'aria-label': label },
    svg('title', {}, label),
    values.length > 0 ? svg('polyline', { points, fill: 'none', 'stroke-width': 1.5 }) : null);
}

export interface FramePoint { frame: number; ms: number }

/** Draws one bar per frame (or per pixel column, the longest of the frames it covers). */
export function drawFrameChart(canvas: HTMLCanvasElement, points: readonly FramePoint[]): void {
  const ratio = window.devicePixelRatio || 1;
  const width = canvas.clientWidth || 600;
  const height = canvas.clientHeight || 120;
  canvas.width = Math.round(width * ratio);
  canvas.height = Math.round(height * ratio);
  const g = canvas.getContext('2d');
  if (!g) return;
  g.scale(ratio, ratio);
  g.clearRect(0, 0, width, height);
  const style = getComputedStyle(canvas);
  g.fillStyle = style.color;
  g.font = '11px system-ui, sans-serif';
  if (points.length === 0) return void g.fillText('no chunk done yet', 4, 14);
  const max = Math.max(...points.map((p) => p.ms), 1);
  const columns = Math.min(points.length, Math.floor(width));
  const perColumn = points.length / columns;
  g.fillStyle = style.getPropertyValue('--chart').trim() || '#4a8';
  for (let c = 0; c < columns; c++) {
    let tallest = 0;
    for (let i = Math.floor(c * perColumn); i < Math.floor((c + 1) * perColumn); i++) tallest = Math.max(tallest, points[i].ms);
    const barHeight = (tallest / max) * (height - 14);
    g.fillRect((c * width) / columns, height - barHeight, Math.max(1, width / columns - 1), barHeight);
  }
  g.fillStyle = style.color;
  g.font = '11px system-ui, sans-serif';
  g.fillText(`max ${(max / 1000).toFixed(1)} s/frame`, 4, 11);
}
