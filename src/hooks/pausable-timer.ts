// Timers for --timeout and --silence-timeout that stop counting while the render is suspended
// (--idle-only: SIGSTOP while a user is at the machine): suspended time is not the hook's time.

/** Suspended or not, with listeners: the node flips it, the hook's timers follow. */
export class Suspension {
  private listeners = new Set<(suspended: boolean) => void>();
  suspended = false;

  set(suspended: boolean): void {
    if (suspended === this.suspended) return;
    this.suspended = suspended;
    for (const listener of this.listeners) listener(suspended);
  }

  /** Calls `listener` on every change; returns the function that stops it. */
  listen(listener: (suspended: boolean) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }
}

/** A one-shot timer that can be paused and resumed, and re-armed (silence: each line starts it anew). */
export class PausableTimer {
  private timer: NodeJS.Timeout | undefined;
  private remainingMs = 0;
  private startedAt = 0;
  private paused = false;
  private armed = false;

  constructor(private readonly fire: () => void, private readonly now: () => number = () => performance.now()) {}

  /** (Re)starts the countdown at `ms`; a paused timer keeps it until resumed. */
  arm(ms: number): void {
    clearTimeout(this.timer);
    this.armed = true;
    this.remainingMs = ms;
    if (!this.paused) this.run();
  }

  pause(): void {
    if (this.paused) return;
    this.paused = true;
    if (!this.armed) return;
    clearTimeout(this.timer);
    this.remainingMs = Math.max(0, this.remainingMs - (this.now() - this.startedAt));
  }

  resume(): void {
    if (!this.paused) return;
    this.paused = false;
    if (this.armed) this.run();
  }

  clear(): void {
    clearTimeout(this.timer);
    this.armed = false;
  }

  private run(): void {
    this.startedAt = this.now();
    this.timer = setTimeout(() => { this.armed = false; this.fire(); }, this.remainingMs);
  }
}
