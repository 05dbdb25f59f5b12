// What an idle node remembers about the jobs it could not run, so that a poll where nothing changed
// looks at none of them (issue 17: an idle node's cost must not grow with the number of jobs).
// Pure: the finder says why a job was passed over; this says when it is worth a look again.
import type { Cadence } from './cadence.js';

/**
 * Why a job gave no chunk here:
 * - `never`: pool, tags, memory, failed early, a dependency that can no longer end well — for as long as
 *   the job keeps its active/ entry name (priority and pause are in it);
 * - `on-change`: nothing queued, dependencies pending — until active/ changes (a job finishing, a
 *   chunk re-queued: both change active/) or the node is woken;
 * - `until`: a start time, a retry delay — at that time (monotonic ms);
 * - `recheck`: blocklist, --max-nodes, licence tokens — other nodes' work changes them: a slow re-look.
 */
export type PassReason =
  | { kind: 'never' }
  | { kind: 'on-change' }
  | { kind: 'until'; atMs: number }
  | { kind: 'recheck' };

/** When a passed-over job is looked at again (cadence.ts): `recheck` reasons, and `on-change` ones whose announcement was lost. */
export type VerdictCadence = Pick<Cadence, 'passedRecheckMs' | 'passedOnChangeRecheckMs'>;

interface Verdict {
  entry: string;
  reason: PassReason;
  atMs: number;
}

export class JobVerdicts {
  private readonly verdicts = new Map<string, Verdict>();

  constructor(private readonly cadence: VerdictCadence) {}

  /** Records that `job` (active/ entry `entry`) gave nothing at `nowMs`. */
  passed(job: string, entry: string, reason: PassReason, nowMs: number): void {
    this.verdicts.set(job, { entry, reason, atMs: nowMs });
  }

  /** A chunk was claimed from it: look again next time. */
  clear(job: string): void {
    this.verdicts.delete(job);
  }

  /**
   * Whether the job (under that entry name) is still known to give nothing at `nowMs`; `onlyNever`: when
   * woken, only what can never change counts.
   */
  skip(job: string, entry: string, nowMs: number, onlyNever = false): boolean {
    const verdict = this.verdicts.get(job);
    if (!verdict || verdict.entry !== entry) return false;
    if (onlyNever) return verdict.reason.kind === 'never';
    return nowMs < dueAt(verdict, this.cadence);
  }

  /** active/ changed, or the node was woken: what waited for a change is worth a look. */
  changed(): void {
    for (const [job, verdict] of this.verdicts) if (verdict.reason.kind === 'on-change') this.verdicts.delete(job);
  }

  /** The earliest time a remembered job is worth a look again (Infinity when none is). */
  nextDueMs(): number {
    let next = Infinity;
    for (const verdict of this.verdicts.values()) next = Math.min(next, dueAt(verdict, this.cadence));
    return next;
  }

  /** Forgets jobs no longer active. */
  keepOnly(live: ReadonlySet<string>): void {
    for (const job of this.verdicts.keys()) if (!live.has(job)) this.verdicts.delete(job);
  }
}

function dueAt(verdict: Verdict, cadence: VerdictCadence): number {
  switch (verdict.reason.kind) {
    case 'never': return Infinity;
    case 'on-change': return verdict.atMs + cadence.passedOnChangeRecheckMs;
    case 'until': return verdict.reason.atMs;
    case 'recheck': return verdict.atMs + cadence.passedRecheckMs;
  }
}
