// Whether a job may give this node a chunk now, and if not why (for verdicts.ts to say when to look
// again): pool/tags/memory, failed early, start time, dependencies, blocklist. A query: it reads the
// spool (dependencies' states, the job's failures/) and writes nothing; a job that can never run because
// a dependency ended badly is reported as `hopeless`, and the finder fails it (hopeless-jobs.ts).
import type { FarmContext } from '../claim/context.js';
import { dependenciesMet, dependencyState, type DependencyState } from '../jobs/dependencies.js';
import { isFinished } from '../jobs/state.js';
import { listNames } from '../spool/atomic.js';
import type { JobRecord } from '../spool/records.js';
import { countFailuresByNode, isBlocklisted, staticMismatch, type NodeTraits } from '../jobs/eligibility.js';
import type { PassReason } from './verdicts.js';
import type { Cadence } from './cadence.js';
import path from 'node:path';

export const NEVER: PassReason = { kind: 'never' };
export const ON_CHANGE: PassReason = { kind: 'on-change' };
export const RECHECK: PassReason = { kind: 'recheck' };

/** A dependency the job needed ended badly or was removed: the job can never run, and is to be failed. */
export const HOPELESS = 'hopeless';

export interface RulesEnv {
  ctx: FarmContext;
  node: NodeTraits;
  /** Names of the nodes currently registered (for the blocklist's escape hatch). */
  liveNodes(): string[];
  /** What those nodes can run: the escape hatch counts only nodes that could run the job. */
  liveNodeTraits?(): NodeTraits[];
  /** Wall-clock now, for --start-at (a coarse wait, not liveness). */
  nowMs(): number;
  /** Dependency states and blocklists are re-read at most every jobRulesCacheMs. */
  cadence: Pick<Cadence, 'jobRulesCacheMs'>;
}

type Cached<T> = { value: T; at: number };

export class JobRules {
  private readonly depStates = new Map<string, Cached<DependencyState>>();
  private readonly failures = new Map<string, Cached<Map<string, number>>>();

  constructor(private readonly env: RulesEnv) {}

  /** Why no chunk of `job` may run here now; null when one may; HOPELESS when it never can (a dependency). */
  async passReason(job: JobRecord): Promise<PassReason | typeof HOPELESS | null> {
    if (staticMismatch(job, this.env.node) || job.failedEarly) return NEVER;
    const wall = this.env.nowMs();
    if (job.startAt && job.startAt > wall) return { kind: 'until', atMs: this.env.ctx.clock.monotonicMs() + job.startAt - wall };
    const outlook = await this.dependencyOutlook(job);
    if (outlook === 'never') return HOPELESS;
    // a dependency's end (or its retry) changes active/
    if (outlook !== 'met') return ON_CHANGE;
    return (await this.blocklisted(job)) ? RECHECK : null;
  }

  /** Whether `job` could ever give this node a chunk without anyone's help (for --exit-when-idle); HOPELESS as above. */
  async mayRunHere(job: JobRecord): Promise<boolean | typeof HOPELESS> {
    // a job waiting for its start time or its dependencies will become runnable without anyone's help
    if (staticMismatch(job, this.env.node) || job.failedEarly) return false;
    return (await this.dependencyOutlook(job)) === 'never' ? HOPELESS : true;
  }

  /** A chunk of `job` failed here: its blocklist count must be re-read before the next claim. */
  forgetFailures(job: string): void {
    this.failures.delete(job);
  }

  /** active/ changed: a dependency that ended took its entry out, so the cached states are stale. */
  forgetDependencies(): void {
    this.depStates.clear();
  }

  /** `met`; `pending` while a dependency can still end as needed; `never` once it cannot. */
  private async dependencyOutlook(job: JobRecord): Promise<'met' | 'pending' | 'never'> {
    const ids = [...job.after, ...(job.afterAny ?? [])];
    if (ids.length === 0) return 'met';
    const states = new Map<string, DependencyState>();
    for (const id of ids) states.set(id, await this.cached(this.depStates, id, () => dependencyState(this.env.ctx, id)));
    if (dependenciesMet(job, (id) => states.get(id)!)) return 'met';
    const hopeless = job.after.some((id) => { const s = states.get(id)!; return s === 'removed' || (isFinished(s) && s !== 'done'); });
    return hopeless ? 'never' : 'pending';
  }

  private async blocklisted(job: JobRecord): Promise<boolean> {
    const counts = await this.cached(this.failures, job.id, async () =>
      countFailuresByNode(await listNames(path.join(this.env.ctx.layout.jobDir(job.id), 'failures'))));
    // the escape hatch counts only nodes that could run the job: a node of another pool is no way out
    const traits = this.env.liveNodeTraits?.();
    const able = traits ? traits.filter((node) => !staticMismatch(job, node)).map((node) => node.name) : this.env.liveNodes();
    return isBlocklisted(this.env.node.name, counts, able);
  }

  private async cached<T>(cache: Map<string, Cached<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const now = this.env.ctx.clock.monotonicMs();
    const hit = cache.get(key);
    if (hit && now - hit.at < this.env.cadence.jobRulesCacheMs) return hit.value;
    const value = await load();
    cache.set(key, { value, at: now });
    return value;
  }
}
