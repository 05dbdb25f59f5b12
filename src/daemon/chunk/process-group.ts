// The process group of a chunk's running hook: suspended while the user is at the machine (--idle-only),
// killed at once when the chunk's claim is lost. Once the hooks ended, its id may be someone else's.
import { Suspension } from '../../hooks/pausable-timer.js';

export class ProcessGroup {
  private pgid: number | undefined;
  private suspended = false;
  /** Over for good: the hooks ended, the group id is not ours any more. */
  private ended = false;
  /** Tells the hook's timers: suspended time does not count against --timeout and --silence-timeout. */
  readonly suspension = new Suspension();

  get isSuspended(): boolean {
    return this.suspended;
  }

  /** A hook started in group `pgid`: one that starts while the user is at the machine waits too. */
  spawned(pgid: number): void {
    this.pgid = pgid;
    if (this.suspended) this.signal('SIGSTOP');
  }

  /** Its render's group may be a warm Blender the slot's next chunk now uses: no longer this chunk's to signal. */
  letGo(): void {
    this.pgid = undefined;
  }

  /** The hooks ended: never signal the group again. */
  end(): void {
    this.ended = true;
  }

  /** Stops (SIGSTOP) the whole group: the user is back at the machine. */
  suspend(): void {
    this.suspended = true;
    this.suspension.set(true);
    this.signal('SIGSTOP');
  }

  resume(): void {
    this.suspended = false;
    this.suspension.set(false);
    this.signal('SIGCONT');
  }

  /** Its claim is gone: the group dies now, not after a grace period (a stopped group is woken to die). */
  kill(): void {
    this.signal('SIGCONT');
    this.signal('SIGKILL');
  }

  private signal(signal: NodeJS.Signals): void {
    if (this.ended || !this.pgid) return;
    try {
      process.kill(-this.pgid, signal);
    } catch {
      // the launcher reports a hook right after fork, before its setsid(): no group yet, the leader alone
      try { process.kill(this.pgid, signal); } catch { /* the hook just ended */ }
    }
  }
}
