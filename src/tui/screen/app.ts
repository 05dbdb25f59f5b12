// The running ui: owns the blessed screen, the ui state and the last farm snapshot; refreshes from the
// spool every REFRESH_MS (one read at a time, never piling up), repaints on every key, and runs farm
// actions one after another so their messages land in the status line, never on the terminal.
import type blessed from 'blessed';
import { errorMessage } from '../../errors.js';
import { buildScreen, type FarmSnapshot, type ScreenView } from '../model/view.js';
import { INITIAL_STATE, type UiState } from '../model/state.js';
import { ASCII_BARS, UNICODE_BARS } from '../model/text.js';
import type { Tone } from '../model/columns.js';
import { actionForKey } from '../model/keys.js';
import { performAction } from './commands.js';
import { bindMouse } from './mouse.js';
import type { AppDeps, UiHandle } from './handle.js';
import { PreviewOverlay } from './preview-overlay.js';
import { createPaneWidgets, paintScreen, type PaneWidgets } from './panes.js';

/** The contract asks for at least one refresh a second. */
export const REFRESH_MS = 1000;
/** A moved selection reads its chunks or log after this pause, so holding an arrow key reads nothing twice. */
export const DETAIL_DEBOUNCE_MS = 60;
export const STATUS_MS = 6000;


export type { AppDeps };

export class UiApp implements UiHandle {
  state: UiState = INITIAL_STATE;
  view?: ScreenView;
  /** Set while a dialog has the keyboard. */
  modal = false;
  private farm: FarmSnapshot;
  private readonly widgets: PaneWidgets;
  private readonly overlay: PreviewOverlay;
  private status?: { text: string; tone: Tone; untilMs: number };
  private queued: { overview: boolean } | null = null;
  private reading = false;
  private stopped = false;
  private interval?: NodeJS.Timeout;
  private debounce?: NodeJS.Timeout;
  private actionChain: Promise<void> = Promise.resolve();
  private finish!: () => void;
  readonly done = new Promise<void>((resolve) => { this.finish = resolve; });

  constructor(readonly deps: AppDeps) {
    this.farm = { spool: deps.spool, jobs: [], timings: new Map(), nodes: [], nodeSilentMs: new Map() };
    this.widgets = createPaneWidgets(deps.screen);
    this.overlay = new PreviewOverlay(deps.screen);
  }

  start(): Promise<void> {
    const { screen } = this.deps;
    screen.on('keypress', (_ch, key: blessed.Widgets.Events.IKeyEventArg) => {
      if (this.modal || this.stopped) return;
      const action = actionForKey(key.full);
      if (action) void performAction(this, action).catch((error) => this.notify(errorMessage(error), 'bad'));
    });
    screen.on('resize', () => { this.overlay.forget(); this.render(); });
    bindMouse(this, this.widgets);
    this.render();
    this.kick(true);
    this.interval = setInterval(() => this.kick(true), REFRESH_MS);
    return this.done;
  }

  stop(): void {
    if (this.stopped) return;
    this.stopped = true;
    clearInterval(this.interval);
    clearTimeout(this.debounce);
    this.finish();
  }

  /** Rebuilds the view from the snapshot and state, and paints it. */
  render(): void {
    if (this.stopped) return;
    const view = this.compose();
    const preview = view.preview;
    const picture = preview?.file ? this.deps.previews?.cached(preview.file.key, preview.cols, preview.rows) : undefined;
    this.overlay.prepare(preview, picture, this.modal);
    paintScreen(this.widgets, view);
    this.deps.screen.render();
    this.overlay.paint(preview, picture, this.modal);
  }

  /** Sets the state and repaints; reads the new selection's details shortly after. */
  update(state: UiState): void {
    const before = this.view;
    this.state = state;
    this.render();
    const after = this.view!;
    if (before?.selectedJob?.id !== after.selectedJob?.id || before?.selectedChunk?.id !== after.selectedChunk?.id || before?.state.detail !== after.state.detail) {
      clearTimeout(this.debounce);
      this.debounce = setTimeout(() => this.kick(false), DETAIL_DEBOUNCE_MS);
    }
  }

  notify(text: string, tone: Tone = 'good'): void {
    this.status = { text: ` ${text.replace(/\s+/g, ' ')}`, tone, untilMs: this.deps.clock.monotonicMs() + STATUS_MS };
    this.render();
  }

  /** Runs a farm action after the ones before it; its result or error goes to the status line. */
  runAction(work: () => Promise<string>): Promise<void> {
    this.actionChain = this.actionChain.then(work).then(
      (message) => this.notify(message, 'good'),
      (error) => this.notify(errorMessage(error), 'bad'),
    ).then(() => this.kick(true));
    return this.actionChain;
  }

  /** Asks for a read of the spool: the overview too, or only the selection's chunks and log. */
  kick(overview: boolean): void {
    this.queued = { overview: (this.queued?.overview ?? false) || overview };
    if (!this.reading) void this.drain();
  }

  private async drain(): Promise<void> {
    this.reading = true;
    while (this.queued && !this.stopped) {
      const { overview } = this.queued;
      this.queued = null;
      try {
        await this.refresh(overview);
      } catch (error) {
        this.notify(`reading the spool: ${errorMessage(error)}`, 'bad');
      }
    }
    this.reading = false;
  }

  private async refresh(overview: boolean): Promise<void> {
    const { reader } = this.deps;
    if (overview) this.farm = { ...this.farm, ...(await reader.readOverview()) };
    let view = this.compose();
    const panes = view.layout.panes;
    const job = view.selectedJob && this.farm.jobs.find((j) => j.id === view.selectedJob!.id);
    if (job && (panes.chunks || panes.log)) {
      this.farm = { ...this.farm, chunks: { job: job.id, list: await reader.readChunks(job) } };
      view = this.compose();
    }
    const chunk = view.selectedChunk;
    if (job && chunk && chunk.attempt > 0 && panes.log) {
      this.farm = { ...this.farm, log: { job: job.id, chunk: chunk.id, attempt: chunk.attempt, text: await reader.readLogTail(job.id, chunk.id, chunk.attempt) } };
    }
    await this.readPreview(job?.id);
    this.render();
  }

  /** The selected job's previews, and the picture the pane will show, decoded now rather than while painting. */
  private async readPreview(job: string | undefined): Promise<void> {
    const { previews } = this.deps;
    if (!previews || !job) return;
    this.farm = { ...this.farm, previews: { job, list: await previews.list(job) } };
    const preview = this.compose().preview;
    if (!preview?.file) return;
    try {
      await previews.picture(preview.file.path, preview.file.key, preview.cols, preview.rows);
    } catch (error) {
      this.notify(`preview of frame ${preview.file.frame}: ${errorMessage(error)}`, 'warn');
    }
    this.render();
  }

  private compose(): ScreenView {
    const { screen, clock, wallMs, unicode } = this.deps;
    if (this.status && clock.monotonicMs() > this.status.untilMs) this.status = undefined;
    const view = buildScreen(this.farm, this.state, {
      width: Number(screen.width), height: Number(screen.height), nowMs: wallMs(),
      glyphs: unicode ? UNICODE_BARS : ASCII_BARS, status: this.status,
    });
    this.state = view.state;
    this.view = view;
    return view;
  }
}
