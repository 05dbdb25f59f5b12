// Finding the next chunk to claim without scanning every info file: the active/ index gives the jobs in
// claim order. Per job, the rules decide first (job-rules.ts, a query); then the actions: a chunk claimed
// (chunk-claimer.ts), or a job that can never run failed (hopeless-jobs.ts). An idle poll costs one stat
// of active/ when nothing changed: jobs passed over are remembered with why (verdicts.ts).
import type { FarmContext } from '../claim/context.js';
import { listActive, hasLiveChunks, type ActiveEntry } from '../jobs/active.js';
import { readJob } from '../jobs/read.js';
import type { Holder, JobRecord } from '../spool/records.js';
import type { NodeTraits } from '../jobs/eligibility.js';
import { BrokenJobs } from './broken-jobs.js';
import { FarmError } from '../errors.js';
import { ActiveListing } from './active-listing.js';
import { preferWarm } from './affinity.js';
import { JobVerdicts, type PassReason } from './verdicts.js';
import { HOPELESS, JobRules, ON_CHANGE } from './job-rules.js';
import { ChunkClaimer, type ClaimedChunk } from './chunk-claimer.js';
import { failHopelessJob } from './hopeless-jobs.js';
import fsSync from 'node:fs';
import type { Cadence } from './cadence.js';

export interface Claimed extends ClaimedChunk {
  job: JobRecord;
}

export interface ClaimOptions {
  /** A poll where nothing woke the node: jobs known to give nothing are not looked at. */
  poll?: boolean;
  /** List active/ even if its stamp is unchanged (default: unless a poll); else one stat says whether to. */
  relist?: boolean;
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
  /** The node's periods (cadence.ts): re-looks at passed and broken jobs, active/ listings, rule caches. */
  cadence: Readonly<Cadence>;
}

export class ChunkFinder {
  private readonly jobs = new Map<string, JobRecord>();
  /** Jobs that could not be read or worked on here: skipped with backoff, never fatal. */
  readonly broken: BrokenJobs;
  private readonly listing: ActiveListing;
  private readonly verdicts: JobVerdicts;
  private readonly rules: JobRules;
  private readonly claimer: ChunkClaimer;

  constructor(private readonly env: FinderEnv) {
    this.verdicts = new JobVerdicts(env.cadence);
    this.broken = new BrokenJobs({ layout: env.ctx.layout, node: env.node.name, log: env.ctx.log, nowMs: () => env.ctx.clock.monotonicMs(), cadence: env.cadence });
    this.listing = new ActiveListing(env.ctx, env.cadence.activeFullListMs);
    this.rules = new JobRules(env);
    this.claimer = new ChunkClaimer({ ctx: env.ctx, node: env.node.name, beforeClaim: env.beforeClaim, nowMs: env.nowMs, contendedRetryMs: env.cadence.contendedRetryMs });
  }

  private get ctx() { return this.env.ctx; }

  /** Claims the best runnable chunk on the spool for `holder`, or returns null when there is none. */
  async claimNext(holder: Holder, options: ClaimOptions = {}): Promise<Claimed | null> {
    const poll = options.poll === true;
    const { entries, changed } = await this.listing.view(options.relist ?? !poll);
    if (changed) {
      this.forgetInactive(entries);
      this.verdicts.changed();
      this.rules.forgetDependencies();
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
    const pass = await this.rules.passReason(job);
    if (pass === HOPELESS) {
      await this.endHopeless(job);
      return ON_CHANGE;
    }
    if (pass) return pass;
    const claimed = await this.claimer.claim(job, holder);
    return 'record' in claimed ? { job: { ...job, priority: entry.priority }, ...claimed } : claimed;
  }

  /** A chunk of `job` failed here: its blocklist count must be re-read before the next claim. */
  forgetFailures(job: string): void {
    this.rules.forgetFailures(job);
  }

  /** The chunk of `job` this node would try last: the likeliest of its cached queued names to be still queued. */
  lastQueued(job: string): string | undefined {
    return this.claimer.lastQueued(job);
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
    if (!job) return false;
    const may = await this.rules.mayRunHere(job);
    if (may === HOPELESS) await this.endHopeless(job);
    return may === true && hasLiveChunks(this.ctx, job.id);
  }

  /** The action for a job the rules found hopeless: failed once, forgotten, announced. */
  private async endHopeless(job: JobRecord): Promise<void> {
    if (!(await failHopelessJob(this.ctx, job))) return;
    this.forgetJob(job.id);
    this.env.onJobEnded?.(job);
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
    this.claimer.forget(job);
  }

  private forgetInactive(entries: ActiveEntry[]): void {
    const live = new Set(entries.map((e) => e.job));
    this.broken.retain(live);
    for (const job of this.jobs.keys()) if (!live.has(job)) this.jobs.delete(job);
    this.claimer.retain(live);
    this.verdicts.keepOnly(live);
  }
}
