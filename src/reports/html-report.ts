// `render stats --html`: one self-contained page (no scripts, fonts or links to fetch) with the
// charts inline and the job and node tables, readable offline in any browser.
import type { FarmReport } from './aggregate.js';
import { reportCharts } from './charts/index.js';
import { escapeXml as esc } from './svg.js';
import { formatCount, formatMem, formatMs, formatPercent, shortTime } from './units.js';

export const REPORT_STYLE = `
body { font-family: system-ui, -apple-system, "Segoe UI", Roboto, "DejaVu Sans", sans-serif; color: #1f2933; background: #f5f7fa; margin: 24px; }
h1 { font-size: 22px; margin: 0 0 4px; } p.sub { color: #7b8794; margin: 0 0 16px; }
.cards { display: flex; gap: 12px; flex-wrap: wrap; margin-bottom: 16px; }
.card { background: #fff; border-radius: 8px; padding: 10px 16px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
.card b { display: block; font-size: 20px; } .card span { color: #7b8794; font-size: 12px; }
figure { margin: 0 0 16px; } figure svg { border-radius: 8px; box-shadow: 0 1px 2px rgba(0,0,0,.08); max-width: 100%; height: auto; }
table { border-collapse: collapse; background: #fff; margin-bottom: 20px; box-shadow: 0 1px 2px rgba(0,0,0,.08); }
th, td { padding: 5px 12px; text-align: left; border-bottom: 1px solid #e4e7eb; font-size: 13px; }
th { background: #eef2f7; white-space: nowrap; } td { white-space: nowrap; } td.n { text-align: right; font-variant-numeric: tabular-nums; }
.meter { display: inline-block; width: 80px; height: 8px; background: #e4e7eb; border-radius: 4px; vertical-align: middle; margin-right: 6px; }
.meter i { display: block; height: 8px; background: #2f6fde; border-radius: 4px; }
`;

export function tableOf(header: string[], rows: string[][], numeric: number[]): string {
  const head = `<tr>${header.map((h) => `<th>${esc(h)}</th>`).join('')}</tr>`;
  const body = rows.map((row) => `<tr>${row.map((cell, i) => `<td${numeric.includes(i) ? ' class="n"' : ''}>${cell}</td>`).join('')}</tr>`).join('\n');
  return `<table>\n${head}\n${body}\n</table>`;
}

const meter = (fraction: number) => `<span class="meter"><i style="width:${Math.round(Math.max(0, Math.min(1, fraction)) * 100)}%"></i></span>${formatPercent(fraction)}`;
const card = (value: string, what: string) => `<div class="card"><b>${esc(value)}</b><span>${esc(what)}</span></div>`;

export function htmlReport(report: FarmReport, generatedAt: string, spool: string): string {
  const { window, totals } = report;
  const span = window ? `${shortTime(window.start, true)} → ${shortTime(window.end, true)} UTC` : 'no stats yet';
  const jobs = tableOf(['Job', 'Name', 'Owner', 'Frames', 'Chunks', 'Failures', 'Render time', 'Avg / frame', 'Slowest frame', 'Peak memory'],
    report.jobs.map((j) => [esc(j.job), esc(j.name), esc(j.owner), formatCount(j.frames), String(j.chunksDone), String(j.failures),
      formatMs(j.renderMs), formatMs(j.avgFrameMs), formatMs(j.slowestFrameMs), formatMem(j.peakMemMB)]), [3, 4, 5, 6, 7, 8, 9]);
  const nodes = tableOf(['Node', 'Host', 'Slots', 'Chunks', 'Frames', 'Failures', 'Busy', 'Utilisation'],
    report.nodes.map((n) => [esc(n.node), esc(n.host), String(n.slots), String(n.chunksDone), formatCount(n.frames), String(n.failures), formatMs(n.busyMs), meter(n.utilisation)]), [2, 3, 4, 5, 6]);
  const charts = reportCharts(report).map((chart) => `<figure>${chart.svg}</figure>`).join('\n');
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>renderd statistics</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${REPORT_STYLE}</style></head>
<body>
<h1>renderd statistics</h1>
<p class="sub">${esc(span)} · spool ${esc(spool)} · generated ${esc(generatedAt)}</p>
<div class="cards">${card(formatCount(totals.frames), 'frames')}${card(formatCount(totals.chunksDone), 'chunks done')}${card(String(totals.failures), 'failed attempts')}${card(formatMs(totals.busyMs), 'node time')}${card(String(report.jobs.length), 'jobs')}${card(String(report.nodes.length), 'nodes')}</div>
${charts}
<h2>Jobs</h2>
${report.jobs.length ? jobs : '<p>none in this window</p>'}
<h2>Nodes</h2>
${report.nodes.length ? nodes : '<p>none</p>'}
</body></html>
`;
}
