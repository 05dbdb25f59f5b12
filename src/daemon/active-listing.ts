// The active/ index as an idle node sees it: one stat per poll, a readdir only when the folder changed.
// A change within the clock tick of our last listing leaves the folder's times as they were, so a new
// stamp is trusted only once a second listing, a poll later, saw it too.
import type { FarmContext } from '../claim/context.js';
import { listActive, type ActiveEntry } from '../jobs/active.js';
import { folderStamp } from '../spool/folder-view.js';

export interface ActiveView {
  entries: ActiveEntry[];
  /** Whether the folder changed since the last view (always true for a forced listing). */
  changed: boolean;
}

export class ActiveListing {
  private entries: ActiveEntry[] | undefined;
  private stamp: string | undefined;
  private confirmed = false;
  private listedAtMs = -Infinity;

  /** `fullListMs`: listed again at least this often whatever the stat says (cadence.ts). */
  constructor(private readonly ctx: FarmContext, private readonly fullListMs: number) {}

  /** The entries; read from disk when `force`, when active/ changed, or when the last look is old. */
  async view(force: boolean): Promise<ActiveView> {
    const now = this.ctx.clock.monotonicMs();
    const stamp = folderStamp(this.ctx.layout.active);
    const same = stamp === this.stamp;
    if (!force && same && this.confirmed && this.entries && now - this.listedAtMs < this.fullListMs) return { entries: this.entries, changed: false };
    // a listing under an unchanged stamp confirms it: nothing can hide in its clock tick any more
    this.confirmed = same && this.entries !== undefined;
    this.stamp = stamp;
    const before = this.entries?.map((e) => e.name).join('/');
    this.entries = await listActive(this.ctx);
    this.listedAtMs = now;
    return { entries: this.entries, changed: force || !same || before !== this.entries.map((e) => e.name).join('/') };
  }
}
