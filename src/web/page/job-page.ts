// The job page: the job's head and actions, its previews as they arrive, time per frame, its chunks
// (drawn as scrolled) and one chunk's log, followed while the chunk runs.
import type { showDocument } from '../../documents/index.js';
import { h, fill } from './dom.js';
import { drawFrameChart, type FramePoint } from './chart.js';
import { virtualList } from './virtual-list.js';
import { formatDuration, formatTime, previewName, spanMs } from './format.js';
import { LogView } from './log-view.js';

export type JobDoc = Awaited<ReturnType<typeof showDocument>>;
type Chunk = JobDoc['chunkList'][number];

export interface JobPageHandlers {
  onAction(job: string, action: 'pause' | 'resume' | 'retry' | 'remove' | 'priority', body?: unknown): void;
}

/** The page keeps its elements across updates: new previews are added, the others stay loaded. */
export class JobPage {
  readonly root: HTMLElement;
  private readonly head = h('div', { class: 'jobhead' });
  private readonly grid = h('div', { class: 'thumbs', 'aria-label': 'previews' });
  private readonly chart = h('canvas', { class: 'framechart', 'aria-label': 'time per frame' });
  private readonly chunks = virtualList<Chunk>((c) => this.chunkRow(c), 'chunks');
  private readonly log: LogView;
  private readonly thumbs = new Map<number, HTMLElement>();
  private doc?: JobDoc;

  constructor(readonly job: string, private readonly handlers: JobPageHandlers) {
    this.log = new LogView(job);
    this.root = h('main', { id: 'job' }, this.head,
      h('section', {}, h('h2', {}, 'Frames'), this.grid),
      h('section', {}, h('h2', {}, 'Time per frame'), this.chart),
      h('section', {}, h('h2', {}, 'Chunks'),
        h('div', { class: 'chunkhead' }, ...['Chunk', 'Frames', 'State', 'Try', 'Node', 'Started', 'Ended', 'Time', 'Peak'].map((t) => h('span', {}, t))),
        this.chunks.root),
      h('section', {}, h('h2', {}, 'Log'), this.log.root));
  }

  show(doc: JobDoc): void {
    this.doc = doc;
    this.renderHead(doc);
    this.renderThumbs(doc);
    drawFrameChart(this.chart, framePoints(doc.chunkList ?? []));
    this.chunks.setRows(doc.chunkList ?? []);
    const selected = (doc.chunkList ?? []).find((c) => c.id === this.log.chunk);
    this.log.setRunning(selected?.state === 'running');
  }

  close(): void { this.log.stop(); }

  private renderHead(doc: JobDoc): void {
    const act = (action: 'pause' | 'resume' | 'retry' | 'remove') => h('button', { type: 'button', class: `act job-${action}`, onclick: () => {
      if (action === 'remove' && !confirm(`Remove job ${doc.name}?`)) return;
      this.handlers.onAction(doc.id, action);
    } }, action);
    const priority = h('input', { type: 'number', class: 'prio', value: doc.priority, 'aria-label': 'priority', min: -1000000, max: 1000000 });
    const c = doc.chunks;
    fill(this.head,
      h('h2', {}, h('a', { href: '#/' }, 'farm'), ' / ', h('span', { class: 'jobname' }, doc.name)),
      h('p', {}, h('span', { class: `badge s-${doc.state}`, title: doc.reason }, doc.state), ` ${doc.id} · ${doc.owner} · frames ${doc.frames} · `,
        `${c.done}/${c.total} chunks done, ${c.running} running, ${c.failed} failed`, doc.reason ? h('span', { class: 'reason' }, ` · ${doc.reason}`) : null),
      h('progress', { max: 1, value: c.total ? c.done / c.total : 0 }),
      h('div', { class: 'actions' }, doc.paused ? act('resume') : act('pause'), act('retry'), act('remove'),
        h('label', {}, ' priority ', priority),
        h('button', { type: 'button', class: 'act job-priority', onclick: () => this.handlers.onAction(doc.id, 'priority', { priority: Number(priority.value) }) }, 'set')));
  }

  private renderThumbs(doc: JobDoc): void {
    const previews = (doc.chunkList ?? []).flatMap((c) => c.previews).sort((a, b) => a.frame - b.frame);
    if (previews.length === 0) return fill(this.grid, h('p', { class: 'empty' }, 'no previews yet'));
    this.grid.querySelector('p.empty')?.remove();
    for (const p of previews) {
      if (this.thumbs.has(p.frame)) continue;
      const url = `/api/jobs/${encodeURIComponent(doc.id)}/previews/${previewName(p.frame)}`;
      const el = h('a', { href: url, class: 'thumb', 'data-frame': p.frame, target: '_blank', rel: 'noopener' },
        h('img', { src: url, alt: `frame ${p.frame}`, loading: 'lazy', decoding: 'async' }), h('span', {}, String(p.frame)));
      // in frame order: before the first thumbnail of a later frame
      const after = [...this.thumbs.entries()].filter(([f]) => f > p.frame).sort(([a], [b]) => a - b)[0];
      this.grid.insertBefore(el, after ? after[1] : null);
      this.thumbs.set(p.frame, el);
    }
  }

  private chunkRow(c: Chunk): HTMLElement {
    const frames = c.frames.length > 1 ? `${c.frames[0]}–${c.frames[c.frames.length - 1]}` : String(c.frames[0] ?? '');
    const peak = c.progress?.peakMemMB;
    const row = h('div', { class: `vrow s-${c.state}${c.id === this.log.chunk ? ' selected' : ''}`, 'data-chunk': c.id, onclick: () => {
      this.log.open(c.id, c.state === 'running');
      if (this.doc) this.chunks.setRows(this.doc.chunkList ?? []);
    } },
      h('span', {}, c.id), h('span', {}, frames), h('span', {}, h('span', { class: `badge s-${c.state}`, title: c.error }, c.state)),
      h('span', { class: 'num' }, c.attempt), h('span', {}, c.node ?? ''), h('span', {}, formatTime(c.startedAt)), h('span', {}, formatTime(c.endedAt)),
      h('span', { class: 'num' }, formatDuration(spanMs(c.startedAt, c.endedAt))), h('span', { class: 'num' }, peak ? `${Math.round(peak)}M` : ''));
    return row;
  }
}

/** Each done chunk's time shared among its frames. */
export function framePoints(chunks: readonly Pick<Chunk, 'frames' | 'state' | 'startedAt' | 'endedAt'>[]): FramePoint[] {
  const points: FramePoint[] = [];
  for (const c of chunks) {
    const ms = c.state === 'done' ? spanMs(c.startedAt, c.endedAt) : undefined;
    if (ms === undefined || c.frames.length === 0) continue;
    for (const frame of c.frames) points.push({ frame, ms: ms / c.frames.length });
  }
  return points.sort((a, b) => a.frame - b.frame);
}
