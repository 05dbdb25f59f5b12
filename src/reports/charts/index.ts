// The report's charts as standalone SVG, and all of them stacked in one SVG document.
import type { FarmReport } from '../aggregate.js';
import { type Chart, el, SVG_NS } from '../svg.js';
import { frameTimeChart } from './frame-time-chart.js';
import { CHART_WIDTH, throughputChart } from './throughput-chart.js';
import { utilisationChart } from './utilisation-chart.js';

export { throughputChart, frameTimeChart, utilisationChart, CHART_WIDTH };

export function reportCharts(report: FarmReport): Chart[] {
  return [throughputChart(report), utilisationChart(report), frameTimeChart(report)];
}

const GAP = 16;

/** Every chart in one file (`render stats --svg`): nested <svg> elements, one under the other. */
export function reportSvg(report: FarmReport): string {
  let y = 0;
  const placed = reportCharts(report).map((chart) => {
    const at = chart.svg.replace(/^<svg /, `<svg x="0" y="${y}" `);
    y += chart.height + GAP;
    return at;
  });
  const height = Math.max(0, y - GAP);
  return `<?xml version="1.0" encoding="UTF-8"?>\n` +
    el('svg', { xmlns: SVG_NS, width: CHART_WIDTH, height, viewBox: `0 0 ${CHART_WIDTH} ${height}` },
      el('rect', { width: CHART_WIDTH, height, fill: '#f5f7fa' }), ...placed) + '\n';
}
