// How long each node's heartbeat has stood still, measured on the ui's own monotonic clock
// (invariant 4): a beat that changes is alive, whatever the node's clock says.
import type { Clock } from '../../liveness/clock.js';
import type { NodeRecord } from '../../spool/records.js';

interface Seen { instance: string; beat: number; sinceMs: number }

export class BeatWatch {
  private readonly seen = new Map<string, Seen>();

  constructor(private readonly clock: Pick<Clock, 'monotonicMs'>) {}

  /** Silence per node name, in ms; 0 for a node seen for the first time or whose beat moved. */
  observe(nodes: readonly NodeRecord[]): Map<string, number> {
    const now = this.clock.monotonicMs();
    const silent = new Map<string, number>();
    const names = new Set<string>();
    for (const node of nodes) {
      names.add(node.name);
      const last = this.seen.get(node.name);
      if (!last || last.instance !== node.instance || last.beat !== node.beat) {
        this.seen.set(node.name, { instance: node.instance, beat: node.beat, sinceMs: now });
        silent.set(node.name, 0);
      } else {
        silent.set(node.name, now - last.sinceMs);
      }
    }
    for (const name of this.seen.keys()) if (!names.has(name)) this.seen.delete(name);
    return silent;
  }
}
