// Is the holder of a running chunk still alive? Decided without comparing clocks across hosts
// (invariant 4): on the same kernel, by its pid; elsewhere, by its heartbeat having stopped changing
// for NODE_SILENT_MS of the observer's own monotonic time.
import type { Holder, NodeRecord } from '../spool/records.js';
import { localProcessState, type ProcessIdentity } from '../nodes/host.js';
import { ChangeWatch } from './stale.js';

/** How often a node rewrites its record; its `beat` counter changes every time. */
export const HEARTBEAT_MS = 2000;
/** A heartbeat unchanged this long on the observer's clock means the node is gone. */
export const NODE_SILENT_MS = 15_000;

export type Verdict = 'alive' | 'dead';

export class HolderJudge {
  private readonly watch: ChangeWatch<string>;

  constructor(private readonly self: ProcessIdentity, silentMs = NODE_SILENT_MS) {
    this.watch = new ChangeWatch(silentMs);
  }

  /** `records` is what nodes/ holds right now: node name → record. */
  verdict(holder: Holder, records: ReadonlyMap<string, NodeRecord>, nowMs: number): Verdict {
    const local = localProcessState(this.self, holder);
    if (local !== 'unknown') return local;
    const record = records.get(holder.node);
    // one live instance per node name: a newer one registered means this one is gone
    if (record && record.instance !== holder.instance) return 'dead';
    const heartbeat = record ? `beat ${record.beat}` : 'no record';
    return this.watch.isUnchangedFor(`${holder.node}/${holder.instance}`, heartbeat, nowMs) ? 'dead' : 'alive';
  }

  prune(nowMs: number): void {
    this.watch.prune(nowMs);
  }
}
