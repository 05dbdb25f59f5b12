// One chunk's log: its end when opened, then what is appended, fetched each second while it runs.
import { getLog } from './api.js';
import { h } from './dom.js';

export const LOG_FOLLOW_MS = 1000;
/** What the pane keeps; older text is dropped from the top. */
const LOG_KEEP_CHARS = 512 * 1024;

export class LogView {
  readonly root: HTMLElement;
  private readonly text = h('pre', { class: 'log', 'aria-live': 'off' });
  private readonly title = h('p', { class: 'logtitle' }, 'click a chunk to see its log');
  chunk?: string;
  private size = 0;
  private attempt?: number;
  private timer?: number;
  private running = false;

  constructor(private readonly job: string) {
    this.root = h('div', {}, this.title, this.text);
  }

  open(chunk: string, running: boolean): void {
    this.stop();
    this.chunk = chunk;
    this.size = 0;
    this.attempt = undefined;
    this.text.textContent = '';
    this.title.textContent = `chunk ${chunk}`;
    this.running = running;
    void this.fetchMore();
  }

  setRunning(running: boolean): void {
    const was = this.running;
    this.running = running;
    // it just ended: read its last lines once more
    if (was && !running) void this.fetchMore();
    if (running && this.timer === undefined && this.chunk) this.follow();
  }

  stop(): void {
    if (this.timer !== undefined) clearTimeout(this.timer);
    this.timer = undefined;
  }

  private follow(): void {
    this.timer = window.setTimeout(() => { this.timer = undefined; void this.fetchMore(); }, LOG_FOLLOW_MS);
  }

  private async fetchMore(): Promise<void> {
    const chunk = this.chunk;
    if (!chunk) return;
    try {
      const part = await getLog(this.job, chunk, this.size);
      if (chunk !== this.chunk) return;
      if (!part) this.title.textContent = `chunk ${chunk}: no log yet`;
      else if (this.attempt !== undefined && part.attempt !== this.attempt) {
        // the chunk was tried again: its new attempt's log, from the start
        this.attempt = undefined;
        this.size = 0;
        this.text.textContent = '';
        return void this.fetchMore();
      } else {
        this.attempt = part.attempt;
        this.title.textContent = `chunk ${chunk}, attempt ${part.attempt}${this.running ? ' (live)' : ''}`;
        const atBottom = this.text.scrollTop + this.text.clientHeight >= this.text.scrollHeight - 4;
        // textContent: a log line is text, whatever characters it holds
        this.text.textContent = ((this.text.textContent ?? '') + part.text).slice(-LOG_KEEP_CHARS);
        this.size = part.size;
        if (atBottom) this.text.scrollTop = this.text.scrollHeight;
      }
    } catch (error) {
      this.title.textContent = `chunk ${chunk}: ${(error as Error).message}`;
    }
    if (this.running && chunk === this.chunk && this.timer === undefined) this.follow();
  }
}
