// Claiming one chunk of a job the rules let this node run: each job's queued/ listing is cached and re-read
// only when used up or gone stale; --max-nodes is checked under the job lock.
import type { FarmContext } from '../claim/context.js';
import { tryClaim } from '../claim/protocol.js';
import { withJobLock, ignoreRemoved } from '../jobs/active.js';
import { chunkEntries, chunkNames } from '../jobs/read.js';
import { parseRunningName } from '../spool/running-names.js';
import type { ChunkRecord, Holder, JobRecord } from '../spool/records.js';
import type { HeldLock } from '../claim/mutex.js';
import type { PassReason } from './verdicts.js';
import { ON_CHANGE, RECHECK } from './job-rules.js';
import fsSync from 'node:fs';

/** Claim among the first few queued chunks at random: nodes racing for one job rarely collide. */
const SPREAD = 4;
/** After this many misses in a row the cached listing is more stale than useful. */
const MAX_MISSES = 8;

export interface ClaimedChunk {
  record: ChunkRecord;
  /** The chunk's lock, held until the attempt's end is recorded. */
  lock: HeldLock;
}

export interface ClaimerEnv {
  ctx: FarmContext;
  /** This node's name (--max-nodes counts the nodes running a job). */
  node: string;
  /** Right before a claim is tried; false: none may be (the node cannot make itself watched). */
  beforeClaim?(job: string): boolean;
  /** Wall-clock now, for retry delays (coarse waits, not liveness). */
  nowMs(): number;
  /** A node that lost every race of a round looks again after this, up to twice it at random (cadence.ts). */
  contendedRetryMs: number;
}

export class ChunkClaimer {
  private readonly queued = new Map<string, string[]>();
  private readonly notBefore = new Map<string, number>();

  constructor(private readonly env: ClaimerEnv) {}

  /** A chunk of `job` claimed for `holder`, or why none was. */
  async claim(job: JobRecord, holder: Holder): Promise<ClaimedChunk | PassReason> {
    if (!job.maxNodes) return this.claimInJob(job, holder);
    const { ctx } = this.env;
    return ignoreRemoved(withJobLock(ctx, job.id, async () => ((await this.underNodeLimit(job)) ? this.claimInJob(job, holder) : RECHECK)), RECHECK);
  }

  /** The chunk of `job` this node would try last: the likeliest of its cached queued names to be still queued. */
  lastQueued(job: string): string | undefined {
    return this.queued.get(job)?.at(-1);
  }

  forget(job: string): void {
    this.queued.delete(job);
  }

  /** Forgets every job but the `live` ones. */
  retain(live: ReadonlySet<string>): void {
    for (const job of this.queued.keys()) if (!live.has(job)) this.queued.delete(job);
    for (const key of this.notBefore.keys()) if (!live.has(key.split('/')[0])) this.notBefore.delete(key);
  }

  /** Under the job lock: fewer than --max-nodes distinct nodes run the job, or this node is one of them. */
  private async underNodeLimit(job: JobRecord): Promise<boolean> {
    const holders = new Set<string>();
    // the names in running/ say who holds each chunk: no file is read
    for (const name of await chunkEntries(this.env.ctx, job.id, 'running')) {
      const node = parseRunningName(name)?.claim?.node;
      if (node) holders.add(node);
    }
    return holders.has(this.env.node) || holders.size < (job.maxNodes ?? Infinity);
  }

  private async claimInJob(job: JobRecord, holder: Holder): Promise<ClaimedChunk | PassReason> {
    const { ctx } = this.env;
    let misses = 0;
    for (let refreshed = false; ;) {
      let names = this.queued.get(job.id);
      if (!names?.length || misses >= MAX_MISSES) {
        // chunks left untried in a fresh listing: lost to other nodes' claims, not gone. Waiting for active/
        // to change would leave them queued beside this idle node until the slow re-look (minutes)
        if (refreshed) return names?.length ? this.contended() : ON_CHANGE;
        names = (await chunkNames(ctx, job.id, 'queued')).sort();
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
      if (!fsSync.existsSync(ctx.layout.chunkFile(job.id, 'queued', chunk))) {
        misses++;
        continue;
      }
      if (this.env.beforeClaim?.(job.id) === false) return RECHECK;
      const result = await tryClaim(ctx, job.id, chunk, holder, { license: job.license, nowMs: now });
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

  /** Every chunk this round tried was taken by others, and more are queued: a fresh look soon, spread over the nodes that lost. */
  private contended(): PassReason {
    return { kind: 'until', atMs: this.env.ctx.clock.monotonicMs() + this.env.contendedRetryMs * (1 + Math.random()) };
  }

  /** Every queued chunk waits out a retry delay: the job is worth a look when the first one ends. */
  private retryDue(job: string, names: string[]): PassReason {
    const first = Math.min(...names.map((n) => this.notBefore.get(`${job}/${n}`) ?? 0));
    return { kind: 'until', atMs: this.env.ctx.clock.monotonicMs() + Math.max(0, first - this.env.nowMs()) };
  }
}
