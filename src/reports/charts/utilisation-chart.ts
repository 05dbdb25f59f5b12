// Chart: each node's utilisation over time, a heat strip per node (one cell per bucket), with the
// node's overall utilisation at the end of its row.
import type { FarmReport } from '../aggregate.js';
import { type Chart, chartRoot, el, INK, label, MUTED, tooltip } from '../svg.js';
import { formatMs, formatPercent, shortTime } from '../units.js';
import { CHART_WIDTH } from './throughput-chart.js';

const ROW_H = 26;
const PLOT = { left: 150, right: 70, top: 48, bottom: 44 };

/** White → blue: an idle cell is near white, a full one deep blue. */
export function heatColour(fraction: number): string {
  const f = Math.max(0, Math.min(1, fraction));
  const from = [0xf0, 0xf4, 0xf8];
  const to = [0x1d, 0x4e, 0xd8];
  return '#' + from.map((c, i) => Math.round(c + (to[i] - c) * f).toString(16).padStart(2, '0')).join('');
}

export function utilisationChart(report: FarmReport): Chart {
  const nodes = report.nodes;
  const buckets = report.window ? report.throughput.map((b) => b.start) : [];
  const plotW = CHART_WIDTH - PLOT.left - PLOT.right;
  const height = PLOT.top + Math.max(1, nodes.length) * ROW_H + PLOT.bottom;
  const cellW = buckets.length ? plotW / buckets.length : plotW;
  const per = report.window ? formatMs(report.window.bucketMs) : '';
  const parts: string[] = [];
  nodes.forEach((n, row) => {
    const y = PLOT.top + row * ROW_H;
    parts.push(label(PLOT.left - 10, y + ROW_H / 2 + 4, n.node, { 'text-anchor': 'end', fill: INK }));
    n.timeline.forEach((u, i) => {
      parts.push(el('rect', { class: 'cell', x: PLOT.left + i * cellW, y: y + 2, width: Math.max(0.5, cellW - 1), height: ROW_H - 4, fill: heatColour(u), 'data-node': n.node, 'data-utilisation': Math.round(u * 1000) / 1000 },
        tooltip(`${n.node} ${shortTime(buckets[i] ?? '', true)} UTC (+${per}): ${formatPercent(u)} of ${n.slots} slot(s)`)));
    });
    parts.push(label(PLOT.left + plotW + 10, y + ROW_H / 2 + 4, formatPercent(n.utilisation), { fill: INK, 'font-weight': 600 },));
  });
  if (nodes.length === 0) parts.push(label(PLOT.left, PLOT.top + ROW_H / 2 + 4, 'no nodes', { fill: MUTED }));
  const axisY = PLOT.top + Math.max(1, nodes.length) * ROW_H + 16;
  const labelEvery = Math.max(1, Math.ceil(buckets.length / 8));
  buckets.forEach((start, i) => {
    if (i % labelEvery === 0) parts.push(label(PLOT.left + i * cellW, axisY, shortTime(start, (report.window?.bucketMs ?? 0) < 60_000).slice(6), { fill: MUTED, 'font-size': 11 }));
  });
  // legend: 0% … 100%
  const legendX = PLOT.left + plotW - 150;
  for (let i = 0; i <= 10; i++) parts.push(el('rect', { x: legendX + i * 12, y: 14, width: 12, height: 10, fill: heatColour(i / 10) }));
  parts.push(label(legendX - 6, 23, '0%', { 'text-anchor': 'end', fill: MUTED, 'font-size': 11 }));
  parts.push(label(legendX + 138, 23, '100%', { fill: MUTED, 'font-size': 11 }));
  parts.push(label(PLOT.left, height - 10, `busy slots ÷ slots, one cell per ${per} (UTC); right: over the whole window`, { fill: MUTED, 'font-size': 11 }));
  return chartRoot(CHART_WIDTH, height, 'Node utilisation over time', ...parts);
}
