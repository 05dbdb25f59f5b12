// One spool watcher per server, however many pages are open: it reads the farm (the tui's FarmReader)
// every WATCH_POLL_MS while anybody listens, and hands each listener what changed. Polling, not
// inotify: a spool on NFS tells no host about another's writes. The filesystem cost of 50 pages is 1.
import fs from 'node:fs/promises';
import type { FarmContext } from '../claim/context.js';
import { previewsDir } from '../previews/paths.js';
import { FarmReader } from '../tui/farm/reader.js';
import { buildFarmView, diffFarmViews, isEmptyChange, type FarmChanges, type FarmView } from './farm-view.js';
import { observeNodes, type NodeSample } from './node-history.js';

/** Half the contract's one second: a change is seen within a poll plus a read. */
export const WATCH_POLL_MS = 500;

export type WatchEvent = { type: 'farm'; changes: FarmChanges } | { type: 'job'; id: string };
export type Listener = (event: WatchEvent) => void;

export class FarmWatcher {
  private readonly reader: FarmReader;
  private readonly listeners = new Set<Listener>();
  private histories = new Map<string, NodeSample[]>();
  private view?: FarmView;
  private previewStamps = new Map<string, number>();
  private timer?: NodeJS.Timeout;
  private reading?: Promise<FarmView>;

  constructor(private readonly ctx: FarmContext, private readonly pollMs = WATCH_POLL_MS) {
    this.reader = new FarmReader(ctx);
  }

  get listenerCount(): number { return this.listeners.size; }

  /** Starts the polling with the first listener, stops it with the last; returns the unsubscribe. */
  subscribe(listener: Listener): () => void {
    this.listeners.add(listener);
    if (this.listeners.size === 1) this.schedule(0);
    return () => {
      this.listeners.delete(listener);
      if (this.listeners.size === 0 && this.timer) { clearTimeout(this.timer); this.timer = undefined; }
    };
  }

  /** The latest view, reading the spool now unless a read is under way (single flight). */
  async read(): Promise<FarmView> {
    this.reading ??= this.readOnce().finally(() => { this.reading = undefined; });
    return this.reading;
  }

  stop(): void {
    this.listeners.clear();
    if (this.timer) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private schedule(delayMs: number): void {
    this.timer = setTimeout(() => void this.tick(), delayMs);
    this.timer.unref();
  }

  private async tick(): Promise<void> {
    const started = performance.now();
    try {
      await this.read();
    } catch (error) {
      this.ctx.log(`web: reading the spool failed: ${(error as Error).message}`);
    }
    // a spool slower to read than the poll is read back to back, never piled up
    if (this.listeners.size > 0) this.schedule(Math.max(this.pollMs - (performance.now() - started), 0));
  }

  private async readOnce(): Promise<FarmView> {
    const overview = await this.reader.readOverview();
    this.histories = observeNodes(this.histories, overview.nodes);
    const next = buildFarmView(overview, this.histories, Date.parse(this.ctx.clock.wallIso()));
    const changes = diffFarmViews(this.view, next);
    const previewed = await this.previewsMoved(next);
    const first = this.view === undefined;
    this.view = next;
    if (!first && !isEmptyChange(changes)) this.emit({ type: 'farm', changes });
    const jobs = new Set([...changes.jobs.map((j) => j.id), ...previewed]);
    if (!first) for (const id of jobs) this.emit({ type: 'job', id });
    return next;
  }

  /** Running jobs whose previews folder changed (a frame landed): one stat per running job. */
  private async previewsMoved(view: FarmView): Promise<string[]> {
    const running = view.jobs.filter((j) => j.state === 'running' || j.chunks.running > 0);
    const stamps = new Map<string, number>();
    const moved: string[] = [];
    await Promise.all(running.map(async (job) => {
      const stat = await fs.stat(previewsDir(this.ctx.layout, job.id)).catch(() => undefined);
      const stamp = stat ? stat.mtimeMs : 0;
      stamps.set(job.id, stamp);
      if (this.previewStamps.has(job.id) && this.previewStamps.get(job.id) !== stamp) moved.push(job.id);
    }));
    this.previewStamps = stamps;
    return moved;
  }

  private emit(event: WatchEvent): void {
    for (const listener of this.listeners) listener(event);
  }
}
