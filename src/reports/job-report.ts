// `render report JOB --html FILE`: one self-contained page about one job — a contact sheet of every
// frame (previews inlined as data URIs; missing and failed frames marked), render time and peak memory
// per frame, the chunks with their nodes and attempts, and the job's charts (those of `render stats`,
// over this job's attempts only). Pure: the loader (job-report-load.ts) gathers the inputs.
import type { FarmReport } from './aggregate.js';
import { reportCharts } from './charts/index.js';
import { REPORT_STYLE, tableOf } from './html-report.js';
import type { AttemptStat } from './stat-line.js';
import { escapeXml as esc } from './svg.js';
import { formatCount, formatMem, formatMs, shortTime } from './units.js';

export interface ReportChunk {
  id: string;
  frames: number[];
  state: 'queued' | 'running' | 'done' | 'failed';
  node?: string;
  attempt: number;
  error?: string;
}

export interface JobReportInput {
  job: { id: string; name: string; owner: string; state: string; file?: string; output?: string; createdAt: string };
  chunks: readonly ReportChunk[];
  /** This job's attempts, from every node's stats. */
  attempts: readonly AttemptStat[];
  /** Data URIs of the frames' previews. */
  previews: ReadonlyMap<number, string>;
  report: FarmReport;
  generatedAt: string;
  spool: string;
}

export type FrameStatus = 'done' | 'failed' | 'missing' | 'waiting';

export interface FrameCell { frame: number; status: FrameStatus; chunk: string; preview?: string; timeMs?: number; peakMemMB?: number; node?: string }

/** Each frame with what is known of it: its chunk's state, its preview, its share of the chunk's time. */
export function frameCells(input: Pick<JobReportInput, 'chunks' | 'attempts' | 'previews'>): FrameCell[] {
  const lastDone = new Map<string, AttemptStat>();
  for (const a of input.attempts) if (a.outcome === 'done') lastDone.set(a.chunk, a);
  const cells = input.chunks.flatMap((chunk) => chunk.frames.map((frame): FrameCell => {
    const done = lastDone.get(chunk.id);
    const preview = input.previews.get(frame);
    const status: FrameStatus = chunk.state === 'failed' ? 'failed' : chunk.state === 'done' ? (preview ? 'done' : 'missing') : 'waiting';
    return {
      frame, status, chunk: chunk.id, preview, node: done?.node ?? chunk.node,
      timeMs: done ? done.durationMs / Math.max(1, done.frames) : undefined, peakMemMB: done?.peakMemMB,
    };
  }));
  return oneCellPerFrame(cells);
}

const STATUS_RANK: Record<FrameStatus, number> = { failed: 0, waiting: 1, missing: 2, done: 3 };

/**
 * A tile job's chunks share their frame: one cell for it, its preview the tiles landed so far drawn in
 * place, the worst status of its tiles, their time added up and the largest peak; chunks named first-last.
 */
function oneCellPerFrame(cells: readonly FrameCell[]): FrameCell[] {
  const byFrame = new Map<number, FrameCell[]>();
  for (const cell of cells) byFrame.set(cell.frame, [...(byFrame.get(cell.frame) ?? []), cell]);
  return [...byFrame.values()].map((same) => {
    if (same.length === 1) return same[0];
    const worst = same.reduce((a, b) => (STATUS_RANK[b.status] < STATUS_RANK[a.status] ? b : a));
    const times = same.map((c) => c.timeMs).filter((t): t is number => t !== undefined);
    const peaks = same.map((c) => c.peakMemMB).filter((m): m is number => m !== undefined);
    return {
      ...worst, preview: same[0].preview, chunk: `${same[0].chunk}-${same.at(-1)!.chunk}`,
      timeMs: times.length ? times.reduce((a, b) => a + b, 0) : undefined, peakMemMB: peaks.length ? Math.max(...peaks) : undefined,
    };
  });
}

const SHEET_STYLE = `
.sheet { display: grid; grid-template-columns: repeat(auto-fill, minmax(180px, 1fr)); gap: 12px; margin-bottom: 20px; }
.frame { background: #fff; border-radius: 8px; box-shadow: 0 1px 2px rgba(0,0,0,.08); overflow: hidden; border: 2px solid transparent; }
.frame img, .frame .hole { display: block; width: 100%; aspect-ratio: 16 / 9; object-fit: contain; background: #1f2933; }
.frame .hole { display: flex; align-items: center; justify-content: center; color: #cbd2d9; font-size: 13px; background: repeating-linear-gradient(45deg, #3e4c59, #3e4c59 8px, #323f4b 8px, #323f4b 16px); }
.frame.failed { border-color: #d64545; } .frame.failed .hole { background: #f8d7d7; color: #a61b1b; font-weight: 600; }
.frame.missing { border-color: #f0b429; } .frame.missing .hole { color: #f0b429; font-weight: 600; }
.frame p { margin: 6px 8px; font-size: 12px; color: #52606d; display: flex; justify-content: space-between; } .frame p b { color: #1f2933; }
.state-failed { color: #d64545; font-weight: 600; } .state-done { color: #27ab83; }
`;

const HOLE_TEXT: Record<FrameStatus, string> = { done: '', failed: 'failed', missing: 'no preview', waiting: 'not rendered yet' };

function frameFigure(cell: FrameCell): string {
  const picture = cell.preview ? `<img alt="frame ${cell.frame}" src="${cell.preview}">` : `<div class="hole">${HOLE_TEXT[cell.status]}</div>`;
  return `<div class="frame ${cell.status}">${picture}<p><b>${cell.frame}</b><span>${esc(formatMs(cell.timeMs))} · ${esc(formatMem(cell.peakMemMB))}</span></p></div>`;
}

export function jobReportHtml(input: JobReportInput): string {
  const { job } = input;
  const cells = frameCells(input);
  const count = (s: FrameStatus) => cells.filter((c) => c.status === s).length;
  const attemptsOf = (chunk: string) => input.attempts.filter((a) => a.chunk === chunk);
  const chunkRows = input.chunks.map((c) => {
    const tries = attemptsOf(c.id);
    const done = tries.filter((a) => a.outcome === 'done').pop();
    const history = tries.map((a) => `${esc(a.node)} (${esc(a.outcome)})`).join(', ') || (c.node ? esc(c.node) : '-');
    return [esc(c.id), esc(frameSpan(c.frames)), `<span class="state-${c.state}">${esc(c.state)}</span>`, String(c.attempt), history,
      esc(formatMs(done?.durationMs)), esc(formatMem(done?.peakMemMB)), esc(c.error ?? '')];
  });
  const frameRows = cells.map((c) => [String(c.frame), esc(c.status), esc(c.chunk), esc(c.node ?? '-'), esc(formatMs(c.timeMs)), esc(formatMem(c.peakMemMB))]);
  const charts = reportCharts(input.report).map((chart) => `<figure>${chart.svg}</figure>`).join('\n');
  const card = (value: string, what: string) => `<div class="card"><b>${esc(value)}</b><span>${esc(what)}</span></div>`;
  const busy = input.attempts.reduce((sum, a) => sum + a.durationMs, 0);
  return `<!DOCTYPE html>
<html lang="en"><head><meta charset="utf-8"><title>${esc(job.name)} · renderd report</title>
<meta name="viewport" content="width=device-width, initial-scale=1"><style>${REPORT_STYLE}${SHEET_STYLE}</style></head>
<body>
<h1>${esc(job.name)}</h1>
<p class="sub">job ${esc(job.id)} · ${esc(job.owner)} · ${esc(job.state)} · submitted ${esc(shortTime(job.createdAt))} UTC${job.file ? ` · ${esc(job.file)}` : ''} · spool ${esc(input.spool)} · generated ${esc(input.generatedAt)}</p>
<div class="cards">${card(formatCount(cells.length), 'frames')}${card(formatCount(count('done')), 'with preview')}${card(String(count('missing')), 'missing')}${card(String(count('failed')), 'failed')}${card(String(input.chunks.length), 'chunks')}${card(formatMs(busy), 'node time')}</div>
<h2>Frames</h2>
<div class="sheet">
${cells.map(frameFigure).join('\n')}
</div>
<h2>Chunks</h2>
${tableOf(['Chunk', 'Frames', 'State', 'Attempt', 'Nodes (outcome of each attempt)', 'Time', 'Peak memory', 'Error'], chunkRows, [3, 5, 6])}
<h2>Charts</h2>
${charts}
<h2>Per frame</h2>
<p class="sub">A frame's time is its chunk's last good attempt divided by the chunk's frames; peak memory is the chunk's.</p>
${tableOf(['Frame', 'Status', 'Chunk', 'Node', 'Render time', 'Peak memory'], frameRows, [0, 4, 5])}
</body></html>
`;
}

function frameSpan(frames: readonly number[]): string {
  if (frames.length <= 1) return frames.join('');
  const contiguous = frames.every((f, i) => i === 0 || f === frames[i - 1] + 1);
  return contiguous ? `${frames[0]}-${frames[frames.length - 1]}` : frames.join(',');
}
