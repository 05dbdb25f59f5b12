// Chart: time per frame for each job, a box plot (quartiles, whiskers to min and max) over the
// individual chunks drawn as dots, on one shared axis so jobs compare at a glance.
import type { FarmReport } from '../aggregate.js';
import { ACCENT, type Chart, chartRoot, el, GRID, INK, label, MUTED, niceTicks, tooltip } from '../svg.js';
import { formatMs } from '../units.js';
import { CHART_WIDTH } from './throughput-chart.js';

const ROW_H = 44;
const PLOT = { left: 210, right: 90, top: 48, bottom: 48 };
const GOLDEN = 0.6180339887;

export function frameTimeChart(report: FarmReport): Chart {
  const jobs = report.jobs.filter((j) => j.frameTimes);
  const plotW = CHART_WIDTH - PLOT.left - PLOT.right;
  const height = PLOT.top + Math.max(1, jobs.length) * ROW_H + PLOT.bottom;
  const ticks = niceTicks(Math.max(0, ...jobs.map((j) => j.frameTimes!.max)), 6);
  const top = ticks[ticks.length - 1];
  const x = (ms: number) => PLOT.left + (ms / top) * plotW;
  const bottom = PLOT.top + Math.max(1, jobs.length) * ROW_H;
  const parts: string[] = [];
  for (const t of ticks) {
    parts.push(el('line', { x1: x(t), x2: x(t), y1: PLOT.top, y2: bottom, stroke: GRID }));
    parts.push(label(x(t), bottom + 16, formatMs(t), { 'text-anchor': 'middle', fill: MUTED, 'font-size': 11 }));
  }
  jobs.forEach((job, row) => {
    const box = job.frameTimes!;
    const mid = PLOT.top + row * ROW_H + ROW_H / 2;
    const name = job.name.length > 28 ? `${job.name.slice(0, 27)}…` : job.name;
    parts.push(label(PLOT.left - 10, mid - 2, name, { 'text-anchor': 'end', fill: INK }));
    parts.push(label(PLOT.left - 10, mid + 12, `${job.job} · ${box.count} chunk(s)`, { 'text-anchor': 'end', fill: MUTED, 'font-size': 10 }));
    const summary = `${job.name} (${job.job}): ${box.count} chunk(s), per frame min ${formatMs(box.min)}, median ${formatMs(box.median)}, max ${formatMs(box.max)}`;
    parts.push(el('g', { class: 'box', 'data-job': job.job, 'data-count': box.count },
      tooltip(summary),
      el('line', { x1: x(box.min), x2: x(box.max), y1: mid, y2: mid, stroke: INK }),
      el('line', { x1: x(box.min), x2: x(box.min), y1: mid - 7, y2: mid + 7, stroke: INK }),
      el('line', { x1: x(box.max), x2: x(box.max), y1: mid - 7, y2: mid + 7, stroke: INK }),
      el('rect', { x: x(box.q1), y: mid - 12, width: Math.max(1, x(box.q3) - x(box.q1)), height: 24, fill: '#dbe7fb', stroke: ACCENT, rx: 3 }),
      el('line', { x1: x(box.median), x2: x(box.median), y1: mid - 12, y2: mid + 12, stroke: ACCENT, 'stroke-width': 2.5 }),
      ...job.frameTimesMs.map((ms, i) => el('circle', { class: 'dot', cx: x(ms), cy: mid + (((i * GOLDEN) % 1) - 0.5) * 18, r: 2.2, fill: INK, 'fill-opacity': 0.45 }))));
    parts.push(label(PLOT.left + plotW + 10, mid + 4, formatMs(box.median), { fill: INK, 'font-weight': 600 }));
  });
  if (jobs.length === 0) parts.push(label(PLOT.left, PLOT.top + ROW_H / 2, 'no finished chunks in this window', { fill: MUTED }));
  parts.push(label(PLOT.left, height - 10, 'time per frame of each done chunk: box = middle half, bar = median, whiskers = fastest and slowest; right: median', { fill: MUTED, 'font-size': 11 }));
  return chartRoot(CHART_WIDTH, height, 'Frame time per job', ...parts);
}
