// Is the holder of a running chunk still alive? Decided without comparing clocks across hosts
// (invariant 4): on the same kernel, by its pid; elsewhere, by its own heartbeat having stopped changing
// for NODE_SILENT_MS of the observer's own monotonic time. Everything else ("connection refused", no
// answer, another instance under its name) is a hint that makes us look closer, never a verdict.
import type { Holder, NodeRecord } from '../spool/records.js';
import { localProcessState, type ProcessIdentity } from '../nodes/host.js';
import { ChangeWatch } from './change-watch.js';
import { markedProcessRunning } from './marked-processes.js';

import { HEARTBEAT_MS, NODE_SILENT_MS, NODE_SUSPECT_MS } from './budget.js';

// the figures live in the timing budget; re-exported for the callers that judge
export { HEARTBEAT_MS, NODE_SILENT_MS, NODE_SUSPECT_MS };

/** `suspect`: quiet for a while; its socket can settle it before the silence window does. */
export type Verdict = 'alive' | 'dead' | 'suspect';

/** What the holder's socket said when asked about its chunk (`not-running`: said by the holder's own instance). */
export type SocketAnswer = 'running' | 'not-running' | 'no-answer';

/** One line per decision (RENDERD_LOG_DECISIONS=1): what tests wait on instead of sleeping. */
export type Decide = (line: string) => void;

export class HolderJudge {
  private readonly watch: ChangeWatch<string>;
  private readonly provenDead = new Set<string>();
  /** Each holder watched by its heartbeat: the beat last seen and what was last said of it (decision lines). */
  private readonly said = new Map<string, { heartbeat: string; told: 'sighted' | 'watching' | Verdict }>();

  constructor(private readonly self: ProcessIdentity, private readonly silentMs = NODE_SILENT_MS, private readonly decide: Decide = () => undefined,
    private readonly hooksRunning: (instance: string) => boolean = markedProcessRunning) {
    this.watch = new ChangeWatch(silentMs);
  }

  /** `records` is what nodes/ holds right now: node name → record. */
  verdict(holder: Holder, records: ReadonlyMap<string, NodeRecord>, nowMs: number): Verdict {
    if (this.provenDead.has(holder.instance)) return 'dead';
    const pid = localProcessState(this.self, holder);
    // its pid gone, its hooks may outlive it by the moment its launcher takes to kill them (for good, had the
    // launcher died too): while any is left, the heartbeat's window decides, as for another host's holder
    const local = pid === 'dead' && this.hooksRunning(holder.instance) ? 'unknown' : pid;
    // a pid proven gone stays gone (its record may be removed next); a silent heartbeat may come back
    if (local === 'dead') this.provenDead.add(holder.instance);
    if (local !== 'unknown') return local;
    const record = records.get(holder.node);
    // only the holder's own heartbeat counts: another instance's record under its name (a clash, a restart
    // elsewhere, two machines with one name) is a hint, never a death — the window decides
    const heartbeat = record && record.instance === holder.instance ? `beat ${record.beat}` : 'not seen';
    const key = `${holder.node}/${holder.instance}`;
    const quietMs = this.watch.unchangedMs(key, heartbeat, nowMs);
    const verdict: Verdict = quietMs >= this.silentMs ? 'dead'
      : quietMs >= Math.min(NODE_SUSPECT_MS, this.silentMs / 2) ? 'suspect' : 'alive';
    this.tell(key, holder.node, heartbeat, verdict, quietMs);
    return verdict;
  }

  /**
   * The heartbeat's story as decision lines: `watching` once a change of beat is seen (the window now counts
   * from a fresh beat, not from a first sighting), then each change of verdict.
   */
  private tell(key: string, node: string, heartbeat: string, verdict: Verdict, quietMs: number): void {
    const last = this.said.get(key);
    if (!last) { this.said.set(key, { heartbeat, told: 'sighted' }); return; }
    const changed = last.heartbeat !== heartbeat && heartbeat !== 'not seen';
    last.heartbeat = heartbeat;
    if (verdict !== 'alive') {
      if (verdict !== last.told) this.decide(`holder ${node} ${verdict} after ${Math.round(quietMs)} ms (${heartbeat})`);
      last.told = verdict;
    } else if (changed && last.told !== 'watching') {
      this.decide(last.told === 'sighted' ? `watching holder ${node} (${heartbeat})` : `holder ${node} alive again (${heartbeat})`);
      last.told = 'watching';
    }
  }

  /**
   * An instance proven dead for good: its pid gone on this kernel, or its name taken over after its heartbeat
   * stayed still for the whole window (it can never be that node again). Never for a window alone: a
   * stalled node comes back.
   */
  markDead(instance: string): void {
    this.provenDead.add(instance);
  }

  /**
   * A suspect is settled early only by an authenticated reply from the holder's own instance saying it does
   * not run the chunk: it ran no render then, so nothing can overlap. Refused, no answer, or another
   * instance answering at that address are hints, and the window decides.
   */
  static settle(answer: SocketAnswer): 'alive' | 'dead' {
    return answer === 'not-running' ? 'dead' : 'alive';
  }

  /** `keepMs`: how long an instance not looked at is remembered (longer than the caller's slowest look). */
  prune(nowMs: number, keepMs?: number): void {
    this.watch.prune(nowMs, keepMs);
    for (const key of this.said.keys()) if (!this.watch.has(key)) this.said.delete(key);
  }
}
