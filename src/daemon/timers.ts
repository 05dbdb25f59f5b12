// The node's periodic work (heartbeat, recovery sweep, job watch, progress save, debris, --idle-only):
// each timer skips a tick while its last run is still going, and a failure is logged, never fatal.
import type { Log } from '../spool/quarantine.js';

export class Timers {
  private readonly timers: NodeJS.Timeout[] = [];

  constructor(private readonly log: Log) {}

  every(ms: number, fn: () => Promise<void>): void {
    let busy = false;
    this.timers.push(setInterval(() => {
      if (busy) return;
      busy = true;
      // a rejection here would take the node down
      fn().catch((error) => this.log(`timer: ${(error as Error).message ?? error}`)).finally(() => { busy = false; });
    }, ms));
  }

  clear(): void {
    for (const timer of this.timers) clearInterval(timer);
  }
}
