// A chunk's ticket to one of its node's slots: granted at once, or, for a chunk claimed ahead, when its
// node grants it a slot. The time it was granted is the chunk's own start, without its wait for a slot.
import type { Clock } from '../../liveness/clock.js';

export class SlotTicket {
  private readonly granted: Promise<void>;
  private grant: (() => void) | undefined;
  /** When the hooks could start (monotonic ms); undefined while it waits. */
  grantedMs: number | undefined;

  /** `ahead`: claimed while the node's slots were busy with short chunks; waits for grantSlot(). */
  constructor(private readonly clock: Clock, readonly claimedMs: number, ahead: boolean) {
    this.granted = ahead ? new Promise((resolve) => { this.grant = resolve; }) : Promise.resolve();
    if (!ahead) this.grantedMs = claimedMs;
  }

  /** Claimed ahead and still waiting for a slot. */
  get waiting(): boolean {
    return this.grantedMs === undefined;
  }

  grantSlot(): void {
    this.grantedMs ??= this.clock.monotonicMs();
    this.grant?.();
  }

  /** Waits for the slot; a chunk stopped meanwhile (given back, job paused or removed) never starts. */
  async waitUnless(signal: AbortSignal): Promise<void> {
    if (!this.waiting || signal.aborted) return;
    await new Promise<void>((resolve) => {
      signal.addEventListener('abort', () => resolve(), { once: true });
      void this.granted.then(resolve);
    });
  }
}
