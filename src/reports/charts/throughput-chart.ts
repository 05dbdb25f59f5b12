// Chart: farm throughput, frames per hour for each timeline bucket, as vertical bars.
import type { FarmReport } from '../aggregate.js';
import { ACCENT, type Chart, chartRoot, DANGER, el, GRID, INK, label, MUTED, niceTicks, tooltip } from '../svg.js';
import { formatCount, formatMs, shortTime } from '../units.js';

export const CHART_WIDTH = 960;
const HEIGHT = 300;
const PLOT = { left: 64, right: 24, top: 48, bottom: 56 };

export function throughputChart(report: FarmReport): Chart {
  const buckets = report.throughput;
  const plotW = CHART_WIDTH - PLOT.left - PLOT.right;
  const plotH = HEIGHT - PLOT.top - PLOT.bottom;
  const ticks = niceTicks(Math.max(0, ...buckets.map((b) => b.framesPerHour)));
  const top = ticks[ticks.length - 1];
  const y = (v: number) => PLOT.top + plotH - (v / top) * plotH;
  const slot = buckets.length ? plotW / buckets.length : plotW;
  const barW = Math.max(1, slot * 0.78);
  const per = report.window ? formatMs(report.window.bucketMs) : '';
  const parts: string[] = [];
  for (const t of ticks) {
    parts.push(el('line', { x1: PLOT.left, x2: PLOT.left + plotW, y1: y(t), y2: y(t), stroke: GRID }));
    parts.push(label(PLOT.left - 8, y(t) + 4, formatCount(t), { 'text-anchor': 'end', fill: MUTED }));
  }
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 8));
  buckets.forEach((b, i) => {
    const x = PLOT.left + i * slot + (slot - barW) / 2;
    const h = y(0) - y(b.framesPerHour);
    parts.push(el('rect', { class: 'bar', x, y: y(b.framesPerHour), width: barW, height: Math.max(0, h), rx: Math.min(3, barW / 4), fill: ACCENT, 'data-frames': b.frames, 'data-start': b.start },
      tooltip(`${shortTime(b.start, true)} UTC: ${formatCount(b.frames)} frames in ${per} (${formatCount(b.framesPerHour)}/h)${b.failures ? `, ${b.failures} failed` : ''}`)));
    if (b.failures) parts.push(el('circle', { cx: x + barW / 2, cy: y(0) - 6, r: 3.5, fill: DANGER }, tooltip(`${b.failures} failed attempt(s)`)));
    if (i % labelEvery === 0) parts.push(label(x + barW / 2, y(0) + 18, shortTime(b.start, report.window!.bucketMs < 60_000).slice(6), { 'text-anchor': 'middle', fill: MUTED, 'font-size': 11 }));
  });
  parts.push(el('line', { x1: PLOT.left, x2: PLOT.left + plotW, y1: y(0), y2: y(0), stroke: INK }));
  parts.push(label(PLOT.left, HEIGHT - 12, `frames per hour, one bar per ${per} (UTC)`, { fill: MUTED, 'font-size': 11 }));
  if (buckets.some((b) => b.failures)) {
    parts.push(el('circle', { cx: PLOT.left + plotW - 118, cy: HEIGHT - 16, r: 3.5, fill: DANGER }));
    parts.push(label(PLOT.left + plotW - 110, HEIGHT - 12, 'failed attempts ended', { fill: MUTED, 'font-size': 11 }));
  }
  if (buckets.length === 0) parts.push(label(PLOT.left + plotW / 2, PLOT.top + plotH / 2, 'no frames in this window', { 'text-anchor': 'middle', fill: MUTED }));
  const total = buckets.reduce((s, b) => s + b.frames, 0);
  return chartRoot(CHART_WIDTH, HEIGHT, `Farm throughput — ${formatCount(total)} frames`, ...parts);
}
