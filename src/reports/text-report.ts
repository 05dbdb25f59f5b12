// `render stats` on a terminal: a headline, the throughput sparkline, then a job table and a node
// table with utilisation bars. A pure function of the report.
import type { FarmReport } from './aggregate.js';
import { blockBar, sparkline } from './sparkline.js';
import { formatCount, formatMem, formatMs, formatPercent, shortTime } from './units.js';

const BAR_WIDTH = 12;

/** A plain table: columns padded to their widest cell, the last one left ragged. */
export function textTable(rows: string[][], header: string[], rightAligned: number[] = []): string {
  const all = [header, ...rows];
  const widths = header.map((_, i) => Math.max(...all.map((row) => [...(row[i] ?? '')].length)));
  const pad = (cell: string, i: number) => {
    const gap = ' '.repeat(widths[i] - [...cell].length);
    return rightAligned.includes(i) ? gap + cell : i === header.length - 1 ? cell : cell + gap;
  };
  return all.map((row) => row.map(pad).join('  ').trimEnd()).join('\n');
}

export function formatTextReport(report: FarmReport, malformed = 0): string {
  if (!report.window) return 'no stats yet: nodes write them as they finish chunks';
  const { window, totals } = report;
  const lines: string[] = [];
  const span = `${shortTime(window.start, true)} → ${shortTime(window.end, true)} UTC`;
  lines.push(`${window.since !== undefined ? `last ${formatMs(window.since)}` : 'all recorded'}: ${span}  ` +
    `${formatCount(totals.frames)} frames, ${formatCount(totals.chunksDone)} chunks, ${totals.failures} failed attempt(s), busy ${formatMs(totals.busyMs)}`);
  if (malformed > 0) lines.push(`(${malformed} malformed stats line(s) skipped)`);
  const perHour = report.throughput.map((b) => b.framesPerHour);
  const peak = Math.max(0, ...perHour);
  lines.push('', `THROUGHPUT  frames/hour per ${formatMs(window.bucketMs)}  peak ${formatCount(peak)}/h`);
  lines.push(`  ${sparkline(perHour)}`);

  lines.push('', 'JOBS');
  if (report.jobs.length === 0) lines.push('  none in this window');
  else {
    const maxRender = Math.max(...report.jobs.map((j) => j.renderMs));
    lines.push(indent(textTable(report.jobs.map((j) => [
      j.job, j.name, formatCount(j.frames), String(j.chunksDone), String(j.failures), formatMs(j.renderMs),
      formatMs(j.avgFrameMs), formatMs(j.slowestFrameMs), formatMem(j.peakMemMB), blockBar(maxRender ? j.renderMs / maxRender : 0, BAR_WIDTH),
    ]), ['JOB', 'NAME', 'FRAMES', 'CHUNKS', 'FAIL', 'RENDER', 'AVG/FRAME', 'SLOWEST', 'PEAK MEM', 'RENDER TIME'], [2, 3, 4, 5, 6, 7, 8])));
  }

  lines.push('', 'NODES');
  if (report.nodes.length === 0) lines.push('  none');
  else {
    lines.push(indent(textTable(report.nodes.map((n) => [
      n.node, String(n.slots), String(n.chunksDone), String(n.failures), formatMs(n.busyMs),
      `${blockBar(n.utilisation, BAR_WIDTH)} ${formatPercent(n.utilisation).padStart(4)}`, sparkline(n.timeline, 1),
    ]), ['NODE', 'SLOTS', 'CHUNKS', 'FAIL', 'BUSY', 'UTILISATION', 'OVER TIME'], [1, 2, 3, 4])));
  }
  return lines.join('\n');
}

const indent = (text: string) => text.split('\n').map((l) => `  ${l}`).join('\n');
