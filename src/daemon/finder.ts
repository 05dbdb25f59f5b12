// Finding the next chunk to claim without scanning every info file: the active/ index gives the jobs in
// claim order; each job's queued/ listing is cached and re-read only when used up or gone stale.
// Per job, the scheduling rules decide first: pool/tags/memory, failed early, start time, dependencies,
// blocklist, and at most --max-nodes nodes at once (checked under the job lock). An idle poll costs one
// stat of active/ when nothing changed: jobs passed over are remembered with why (verdicts.ts).
import type { FarmContext } from '../claim/context.js';
import { tryClaim } from '../claim/protocol.js';
import { listActive, hasLiveChunks, withJobLock, ignoreRemoved, type ActiveEntry } from '../jobs/active.js';
import { chunkEntries, chunkNames, readJob } from '../jobs/read.js';
import { parseRunningName } from '../spool/running-names.js';
import { dependenciesMet, dependencyState, type DependencyState } from '../jobs/dependencies.js';
import { isFinished } from '../jobs/state.js';
import { listNames } from '../spool/atomic.js';
import type { ChunkRecord, Holder, JobRecord } from '../spool/records.js';
import type { HeldLock } from '../claim/mutex.js';
import { countFailuresByNode, isBlocklisted, staticMismatch, type NodeTraits } from './eligibility.js';
import { BrokenJobs } from './broken-jobs.js';
import { failJobEarly } from '../jobs/control.js';
import { hopelessReason } from '../jobs/dependants.js';
import { FarmError } from '../errors.js';
import { ActiveListing } from './active-listing.js';
import { preferWarm } from './affinity.js';
import { JobVerdicts, type PassReason } from './verdicts.js';
import fsSync from 'node:fs';
import path from 'node:path';

/** Claim among the first few queued chunks at random: nodes racing for one job rarely collide. */
const SPREAD = 4;
/** After this many misses in a row the cached listing is more stale than useful. */
const MAX_MISSES = 8;
/** Dependency states and blocklists change slowly: re-read them at most this often. */
const RULE_CACHE_MS = 1000;

export interface Claimed {
  job: JobRecord;
  record: ChunkRecord;
  /** The chunk's lock, held until the attempt's end is recorded. */
  lock: HeldLock;
}

type ClaimedChunk = Omit<Claimed, 'job'>;

export interface ClaimOptions {
  /** A poll where nothing woke the node: jobs known to give nothing are not looked at. */
  poll?: boolean;
}

export interface FinderEnv {
  ctx: FarmContext;
  node: NodeTraits;
  /** Names of the nodes currently registered (for the blocklist's escape hatch). */
  liveNodes(): string[];
  /** What those nodes can run: the escape hatch counts only nodes that could run the job. */
  liveNodeTraits?(): NodeTraits[];
  /** A job this node ended without running it (a dependency failed or was removed): announced once. */
  onJobEnded?(job: JobRecord): void;
  /** Jobs with a warm Blender on this node: preferred within their priority level (affinity.ts). */
  warmJobs?(): ReadonlySet<string>;
  /** Right before a claim is tried; false: none may be (the node cannot make itself watched). */
  beforeClaim?(job: string): boolean;
  /** Wall-clock now, for --start-at and retry delays (coarse waits, not liveness). */
  nowMs(): number;
}

type Cached<T> = { value: T; at: number };

export class ChunkFinder {
  private readonly queued = new Map<string, string[]>();
  private readonly jobs = new Map<string, JobRecord>();
  private readonly notBefore = new Map<string, number>();
  private readonly depStates = new Map<string, Cached<DependencyState>>();
  private readonly failures = new Map<string, Cached<Map<string, number>>>();
  /** Jobs that could not be read or worked on here: skipped with backoff, never fatal. */
  readonly broken: BrokenJobs;
  private readonly listing: ActiveListing;
  private readonly verdicts = new JobVerdicts();

  constructor(private readonly env: FinderEnv) {
    this.broken = new BrokenJobs({ layout: env.ctx.layout, node: env.node.name, log: env.ctx.log, nowMs: () => env.ctx.clock.monotonicMs() });
    this.listing = new ActiveListing(env.ctx);
  }

  private get ctx() { return this.env.ctx; }

  /** Claims the best runnable chunk on the spool for `holder`, or returns null when there is none. */
  async claimNext(holder: Holder, options: ClaimOptions = {}): Promise<Claimed | null> {
    const poll = options.poll === true;
    const { entries, changed } = await this.listing.view(!poll);
    if (changed) {
      this.forgetInactive(entries);
      this.verdicts.changed();
      // a dependency that ended took its entry out of active/: its cached state is stale
      this.depStates.clear();
    }
    const now = this.ctx.clock.monotonicMs();
    const warm = this.env.warmJobs?.();
    for (const entry of warm?.size ? preferWarm(entries, warm) : entries) {
      if (entry.paused || this.broken.skipping(entry.job)) continue;
      // woken, every job gets a look but those that can never run here
      if (this.verdicts.skip(entry.job, entry.name, now, !poll)) continue;
      try {
        const claimed = await this.claimInEntry(entry, holder);
        this.broken.ok(entry.job);
        if ('record' in claimed) {
          this.verdicts.clear(entry.job);
          return claimed;
        }
        this.verdicts.passed(entry.job, entry.name, claimed, now);
      } catch (error) {
        this.forgetJob(entry.job);
        this.broken.failed(entry.job, error);
      }
    }
    return null;
  }

  /** The chunk claimed, or why the job gave none. */
  private async claimInEntry(entry: ActiveEntry, holder: Holder): Promise<Claimed | PassReason> {
    const job = await this.jobRecord(entry.job);
    // its folder is there but job.json is not (quarantined: a directory, a symlink, bad JSON): broken
    if (!job && fsSync.existsSync(this.ctx.layout.jobDir(entry.job))) throw new FarmError('EBROKEN', 'job.json is missing (see quarantine/)');
    if (!job) return ON_CHANGE;
    const pass = await this.passReason(job);
    if (pass) return pass;
    const claimed = job.maxNodes
      ? await ignoreRemoved(withJobLock(this.ctx, job.id, async () => ((await this.underNodeLimit(job)) ? this.claimInJob(job, holder) : RECHECK)), RECHECK)
      : await this.claimInJob(job, holder);
    return 'record' in claimed ? { job: { ...job, priority: entry.priority }, ...claimed } : claimed;
  }

  /** A chunk of `job` failed here: its blocklist count must be re-read before the next claim. */
  forgetFailures(job: string): void {
    this.failures.delete(job);
  }

  /** The chunk of `job` this node would try last: the likeliest of its cached queued names to be still queued. */
  lastQueued(job: string): string | undefined {
    return this.queued.get(job)?.at(-1);
  }

  /** Whether anything on the spool could still become runnable here (for --exit-when-idle). */
  async anythingLeft(): Promise<boolean> {
    for (const entry of await listActive(this.ctx)) {
      // a job this node cannot read is not work it can do: it does not keep the node up
      if (entry.paused || this.broken.isBroken(entry.job)) continue;
      try {
        if (await this.hasWorkFor(entry.job)) return true;
      } catch (error) {
        this.broken.failed(entry.job, error);
      }
    }
    return false;
  }

  private async hasWorkFor(id: string): Promise<boolean> {
    const job = await this.jobRecord(id);
    // a job waiting for its start time or its dependencies will become runnable without anyone's help
    if (!job || staticMismatch(job, this.env.node) || job.failedEarly) return false;
    if ((await this.dependencyOutlook(job)) === 'never') {
      await this.endHopeless(job);
      return false;
    }
    return hasLiveChunks(this.ctx, job.id);
  }

  /** Why no chunk of `job` may run here now, or null when one may. */
  private async passReason(job: JobRecord): Promise<PassReason | null> {
    if (staticMismatch(job, this.env.node) || job.failedEarly) return NEVER;
    const wall = this.env.nowMs();
    if (job.startAt && job.startAt > wall) return { kind: 'until', atMs: this.ctx.clock.monotonicMs() + job.startAt - wall };
    const outlook = await this.dependencyOutlook(job);
    if (outlook === 'never') await this.endHopeless(job);
    // a dependency's end (or its retry) changes active/
    if (outlook !== 'met') return ON_CHANGE;
    return (await this.blocklisted(job)) ? RECHECK : null;
  }

  /** `met`; `pending` while a dependency can still end as needed; `never` once it cannot. */
  private async dependencyOutlook(job: JobRecord): Promise<'met' | 'pending' | 'never'> {
    const ids = [...job.after, ...(job.afterAny ?? [])];
    if (ids.length === 0) return 'met';
    const states = new Map<string, DependencyState>();
    for (const id of ids) states.set(id, await this.cached(this.depStates, id, () => dependencyState(this.ctx, id)));
    if (dependenciesMet(job, (id) => states.get(id)!)) return 'met';
    const hopeless = job.after.some((id) => { const s = states.get(id)!; return s === 'removed' || (isFinished(s) && s !== 'done'); });
    return hopeless ? 'never' : 'pending';
  }

  /**
   * Every job ends: one whose dependency failed or was removed fails, with the reason, once (checked
   * again fresh under its lock: a retry of the dependency may have just brought it back).
   */
  private async endHopeless(job: JobRecord): Promise<void> {
    const why = async () => {
      const states = new Map<string, DependencyState>();
      for (const id of job.after) states.set(id, await dependencyState(this.ctx, id));
      return hopelessReason(job.after, (id) => states.get(id)!);
    };
    const first = await why();
    if (!first) return;
    const stillTrue = async () => (await why())?.dependency === first.dependency;
    if (!(await ignoreRemoved(failJobEarly(this.ctx, job.id, { ...first, stillTrue }), false))) return;
    this.ctx.log(`job ${job.id}: ${first.reason}: job failed, its chunks will not run (render retry ${first.dependency} brings it back)`);
    this.forgetJob(job.id);
    this.env.onJobEnded?.(job);
  }

  private async blocklisted(job: JobRecord): Promise<boolean> {
    const counts = await this.cached(this.failures, job.id, async () =>
      countFailuresByNode(await listNames(path.join(this.ctx.layout.jobDir(job.id), 'failures'))));
    // the escape hatch counts only nodes that could run the job: a node of another pool is no way out
    const traits = this.env.liveNodeTraits?.();
    const able = traits ? traits.filter((node) => !staticMismatch(job, node)).map((node) => node.name) : this.env.liveNodes();
    return isBlocklisted(this.env.node.name, counts, able);
  }

  /** Under the job lock: fewer than --max-nodes distinct nodes run the job, or this node is one of them. */
  private async underNodeLimit(job: JobRecord): Promise<boolean> {
    const holders = new Set<string>();
    // the names in running/ say who holds each chunk: no file is read
    for (const name of await chunkEntries(this.ctx, job.id, 'running')) {
      const node = parseRunningName(name)?.claim?.node;
      if (node) holders.add(node);
    }
    return holders.has(this.env.node.name) || holders.size < (job.maxNodes ?? Infinity);
  }

  private async claimInJob(job: JobRecord, holder: Holder): Promise<ClaimedChunk | PassReason> {
    let misses = 0;
    for (let refreshed = false; ;) {
      let names = this.queued.get(job.id);
      if (!names?.length || misses >= MAX_MISSES) {
        if (refreshed) return ON_CHANGE;
        names = (await chunkNames(this.ctx, job.id, 'queued')).sort();
        this.queued.set(job.id, names);
        refreshed = true;
        misses = 0;
        if (!names.length) return ON_CHANGE;
      }
      const now = this.env.nowMs();
      // chunks waiting out a retry delay are rare: look for them only when there are some
      const ready = this.notBefore.size === 0 ? names : names.filter((n) => (this.notBefore.get(`${job.id}/${n}`) ?? 0) <= now);
      if (ready.length === 0) {
        if (refreshed) return this.retryDue(job.id, names);
        misses = MAX_MISSES;
        continue;
      }
      const chunk = ready[Math.floor(Math.random() * Math.min(SPREAD, ready.length))];
      names.splice(names.indexOf(chunk), 1);
      // nodes list the same queue: half of a listing's head is claimed by others soon after. A stat
      // says so without a lock cycle (a mkdir, and an rmdir that waits to free its block)
      if (!fsSync.existsSync(this.ctx.layout.chunkFile(job.id, 'queued', chunk))) {
        misses++;
        continue;
      }
      if (this.env.beforeClaim?.(job.id) === false) return RECHECK;
      const result = await tryClaim(this.ctx, job.id, chunk, holder, { license: job.license, nowMs: now });
      if (result.ok) return { record: result.record, lock: result.lock };
      if (result.reason === 'not-yet') {
        this.notBefore.set(`${job.id}/${chunk}`, result.retryAfter);
        names.push(chunk);
      }
      // no licence token free: no other chunk of this job can have one either
      if (result.reason === 'no-license') return RECHECK;
      misses++;
    }
  }

  /** Every queued chunk waits out a retry delay: the job is worth a look when the first one ends. */
  private retryDue(job: string, names: string[]): PassReason {
    const first = Math.min(...names.map((n) => this.notBefore.get(`${job}/${n}`) ?? 0));
    return { kind: 'until', atMs: this.ctx.clock.monotonicMs() + Math.max(0, first - this.env.nowMs()) };
  }

  private async cached<T>(cache: Map<string, Cached<T>>, key: string, load: () => Promise<T>): Promise<T> {
    const now = this.ctx.clock.monotonicMs();
    const hit = cache.get(key);
    if (hit && now - hit.at < RULE_CACHE_MS) return hit.value;
    const value = await load();
    cache.set(key, { value, at: now });
    return value;
  }

  private async jobRecord(job: string): Promise<JobRecord | null> {
    // a job's spec does not change after submission; priority and pause come from active/ names
    const cached = this.jobs.get(job);
    if (cached) return cached;
    const record = await readJob(this.ctx, job);
    if (record) this.jobs.set(job, record);
    return record;
  }

  private forgetJob(job: string): void {
    this.jobs.delete(job);
    this.queued.delete(job);
  }

  private forgetInactive(entries: ActiveEntry[]): void {
    const live = new Set(entries.map((e) => e.job));
    this.broken.retain(live);
    for (const job of this.jobs.keys()) if (!live.has(job)) this.jobs.delete(job);
    for (const job of this.queued.keys()) if (!live.has(job)) this.queued.delete(job);
    for (const key of this.notBefore.keys()) if (!live.has(key.split('/')[0])) this.notBefore.delete(key);
    this.verdicts.keepOnly(live);
  }
}

const NEVER: PassReason = { kind: 'never' };
const ON_CHANGE: PassReason = { kind: 'on-change' };
const RECHECK: PassReason = { kind: 'recheck' };
