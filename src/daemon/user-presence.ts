// --idle-only: whether somebody is at the machine (terminal input, load), looked at every IDLE_CHECK
// period. Somebody came back: the renders are suspended and nothing is claimed; they left: resumed.
import os from 'node:os';
import type { FarmContext } from '../claim/context.js';
import { isMachineIdle, msSinceLastInput, type IdlePolicy } from '../nodes/idle.js';
import type { SlotTable } from './slot-table.js';

export class UserPresence {
  /** Nobody at the machine (always, without --idle-only). */
  private away = true;

  constructor(private readonly ctx: FarmContext, private readonly policy: IdlePolicy | undefined, private readonly slots: SlotTable,
    private readonly wake: () => void) {}

  get userAway(): boolean {
    return this.away;
  }

  /** One look; suspends or resumes the running chunks when the answer changed. */
  async follow(): Promise<void> {
    if (!this.policy) return;
    const load = os.loadavg()[0];
    const away = isMachineIdle(this.policy, await msSinceLastInput(this.ctx.clock.wallMs()), load, this.slots.size);
    if (away === this.away) return;
    this.away = away;
    for (const chunk of this.slots.values()) {
      if (away) chunk.resume(); else chunk.suspend();
    }
    const running = this.slots.size;
    this.ctx.log(away ? `nobody at the machine: ${running ? 'resuming renders' : 'claiming again'}` : `somebody is at the machine: ${running ? 'renders suspended' : 'not claiming'}`);
    if (away) this.wake();
  }
}
