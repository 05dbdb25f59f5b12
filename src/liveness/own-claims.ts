// A node's own claims against what it really runs (issue 15, items 1 and 4). Observers never end a claim
// of a node whose heartbeat moves, and the reaper skips its own node's claims, so only the node itself can
// settle them:
//   - a chunk it runs whose claim left running/ (taken over while it was stalled) is killed at once, and
//     records nothing;
//   - an entry of its own instance that it does not run (an end that failed to record, a lost race) gets
//     its pending end recorded, or is given back to the queue. Safe: nobody else may hold that claim.
import fs from 'node:fs';
import path from 'node:path';
import type { FarmContext } from '../claim/context.js';
import { endOptionsFor } from '../claim/protocol.js';
import { listActive } from '../jobs/active.js';
import { chunkEntries, readJob } from '../jobs/read.js';

import { chunkIdOf, parseRunningName, runningFileName, type Claim } from '../spool/running-names.js';
import { tryEnd, type PendingEnd } from './end-retry.js';
import { isMissing } from '../spool/atomic.js';

/** What the reconciler needs of a chunk this node runs (daemon/chunk/chunk-run.ts RunningChunk). */
export interface HeldChunk {
  job: { id: string };
  record: { id: string };
  /** Its claim: the name of its file in running/. */
  readonly claim: Claim;
  /** Its end is being recorded: its file leaves running/ by its own doing. */
  readonly ending: boolean;
  /** Kills its hooks at once and stops it; it records nothing. */
  kill(reason: string): void;
}

const OTHER_STATES = ['done', 'failed', 'queued'] as const;
/**
 * Passes that still list a job's running/ after this node last tried a claim in it or held a chunk of it: an
 * entry of its own appears only after a claim, and a stray seen at one pass is given back at the next.
 */
const PASSES_AFTER_CLAIM = 3;
/**
 * A quick pass finds a held chunk's claim in its job's listing; every this many passes (and after a stall, a
 * suspend or a lapsed lease) each claim is also looked up by name and in the other states (issue 26: the
 * per-chunk lookups were 4 calls per chunk per pass, the biggest cost of a node with many slots).
 */
export const FULL_CHECK_EVERY_PASSES = 6;

export class OwnClaims {
  /** Ends that could not be recorded yet, by `job/chunk/token`. */
  private readonly pending = new Map<string, PendingEnd>();
  /** Own entries not run here at the last pass: given back if still so at the next (a claim on its way in is not). */
  private suspects = new Set<string>();
  /** Passes owed over every active job, after a claim tried in a job not named (none at start). */
  private passesOwed = 0;
  /** Passes owed per job: its running/ is listed while this node may have an entry there (issue 26). */
  private readonly owedByJob = new Map<string, number>();
  /** running/ listings of this pass, by job: the kill check and the settling share one readdir per job. */
  private listings = new Map<string, string[]>();
  private passes = 0;

  constructor(private readonly ctx: FarmContext, private readonly instance: string, private readonly held: () => Iterable<HeldChunk>) {}

  /**
   * A claim is about to be tried (in `job`, when known): entries of this instance may appear in that job's
   * running/ (in any job's, when not named) from now on.
   */
  claimTried(job?: string): void {
    if (job === undefined) this.passesOwed = PASSES_AFTER_CLAIM;
    else this.owedByJob.set(job, PASSES_AFTER_CLAIM);
  }

  /** The names in `job`'s running/ (a readdir per job and pass), or undefined when it could not be listed. */
  private listRunning(job: string): string[] | undefined {
    let names = this.listings.get(job);
    if (names) return names;
    try {
      names = fs.readdirSync(this.ctx.layout.stateDir(job, 'running'));
    } catch {
      return undefined; // the claims are looked up one by one, as in a full pass
    }
    this.listings.set(job, names);
    return names;
  }

  /** Nothing held and no end left to record (what a clean exit needs before it removes its holding mark). */
  nothingPending(): boolean {
    return this.pending.size === 0 && this.suspects.size === 0 && this.held()[Symbol.iterator]().next().done === true;
  }

  /** Nothing of this instance can be in running/: nothing held, no end pending, and clean passes since its last claim. */
  quiet(): boolean {
    return this.passesOwed === 0 && this.owedByJob.size === 0 && this.nothingPending();
  }

  /** An end its chunk gave up recording: tried again at every pass until recorded or moot. */
  leave(pending: PendingEnd): void {
    this.pending.set(`${pending.job}/${pending.chunk}/${pending.claim.token}`, pending);
  }

  /**
   * Kills the chunks run here whose claim is gone: no longer in running/, or its chunk found in another
   * state as well (taken over, and a copy of the running file brought back). Returns how many.
   */
  killUnclaimed(full = true): number {
    // a new pass: listings are taken afresh (settleOwnEntries, right after, shares them)
    this.listings = new Map();
    full ||= ++this.passes % FULL_CHECK_EVERY_PASSES === 0;
    let killed = 0;
    for (const chunk of [...this.held()]) {
      if (chunk.ending) continue;
      const dir = this.ctx.layout.stateDir(chunk.job.id, 'running');
      const name = runningFileName(chunk.record.id, chunk.claim);
      if (!full) {
        // found in the job's listing: present. Not found, or the listing failed: looked up as in a full pass
        if (this.listRunning(chunk.job.id)?.includes(name)) continue;
      }
      // only a positive "no such file", twice, means gone: a filer that does not answer (ENOTCONN, EIO, a
      // hung mount timing out) says nothing about the claim, and costs no render
      const presence = claimPresence(dir, name);
      if (presence === 'unknown') continue;
      const present = presence === 'present';
      const elsewhere = this.otherState(chunk.job.id, chunk.record.id);
      if ((present && !elsewhere) || chunk.ending) continue;
      const why = present ? `its chunk is in ${elsewhere}/ too` : 'its claim is gone from running/';
      chunk.kill(`${why} (taken over while this node was silent)`);
      this.ctx.log(`chunk ${chunk.job.id}/${chunk.record.id}: ${why}: render killed`);
      killed++;
    }
    return killed;
  }

  /** The other state the chunk is found in; an error (the filer away) finds it nowhere. */
  private otherState(job: string, chunk: string): (typeof OTHER_STATES)[number] | undefined {
    return OTHER_STATES.find((state) => fs.existsSync(this.ctx.layout.chunkFile(job, state, chunk)));
  }

  /**
   * An own entry whose chunk is also in another state (a copy a save brought back after its end, by an
   * older renderd): the other file is the later truth, so the entry is removed, under the chunk's lock.
   * Giving it back instead would put a done chunk in the queue as well.
   */
  private async dropIfCopy(job: string, chunk: string, name: string): Promise<boolean> {
    const { ctx } = this;
    const elsewhere = () => this.otherState(job, chunk);
    if (!elsewhere()) return false;
    const locked = await ctx.locks.tryLock(ctx.layout.chunkLock(job, chunk));
    if (!locked.ok) return true;
    try {
      const state = elsewhere();
      if (!state) return false;
      fs.rmSync(path.join(ctx.layout.stateDir(job, 'running'), name), { force: true });
      ctx.log(`chunk ${job}/${chunk}: a stale copy of it in running/ removed (the chunk is in ${state}/)`);
      return true;
    } finally {
      await locked.lock.release();
    }
  }

  /** Records pending ends and gives back own entries this node does not run. */
  async settleOwnEntries(): Promise<void> {
    const { ctx } = this;
    const held = [...this.held()];
    const runningHere = new Set(held.map((c) => `${c.job.id}/${c.record.id}/${c.claim.token}`));
    // only the jobs where an entry of ours may be: an idle node lists no running/ folder (issue 17), a busy one
    // those of its chunks, ends and claims, whatever else is active (issue 26)
    for (const job of [...held.map((c) => c.job.id), ...[...this.pending.values()].map((p) => p.job), ...[...this.suspects].map((key) => key.split('/')[0]!)]) {
      this.owedByJob.set(job, PASSES_AFTER_CLAIM);
    }
    const jobs = new Set(this.owedByJob.keys());
    if (this.passesOwed > 0) {
      this.passesOwed--;
      for (const { job } of await listActive(ctx)) jobs.add(job);
    }
    for (const [job, owed] of this.owedByJob) {
      if (owed <= 1) this.owedByJob.delete(job);
      else this.owedByJob.set(job, owed - 1);
    }
    const listings = this.listings;
    this.listings = new Map();
    const seen = new Set<string>();
    const listed = new Set<string>();
    for (const job of [...jobs].sort()) {
      const names = listings.get(job)?.filter((name) => chunkIdOf(name) !== null) ?? await chunkEntries(ctx, job, 'running');
      for (const name of names) {
        const parsed = parseRunningName(name);
        if (!parsed?.claim || parsed.claim.instance !== this.instance) continue;
        const key = `${job}/${parsed.chunk}/${parsed.claim.token}`;
        listed.add(key);
        if (runningHere.has(key)) continue;
        const pending = this.pending.get(key);
        if (pending) {
          const result = await tryEnd(ctx, pending);
          if (result.ok || result.reason !== 'unrecorded') {
            this.pending.delete(key);
            ctx.log(`chunk ${job}/${parsed.chunk}: its end ${result.ok ? `recorded (${pending.end.outcome})` : `not recorded (${result.reason})`} on a later try`);
          }
          continue;
        }
        seen.add(key);
        if (!this.suspects.has(key)) continue;
        if (await this.dropIfCopy(job, parsed.chunk, name)) continue;
        const end: PendingEnd = { job, chunk: parsed.chunk, claim: parsed.claim, end: { outcome: 'lost', error: 'claimed by its node, which no longer ran it' }, options: endOptionsFor(await readJob(ctx, job)) };
        const result = await tryEnd(ctx, end);
        if (result.ok) ctx.log(`chunk ${job}/${parsed.chunk}: claimed by this node but not running here: back in the queue`);
      }
    }
    this.suspects = seen;
    // a pending end whose entry is gone was settled otherwise (taken back, job removed)
    for (const key of this.pending.keys()) if (!listed.has(key)) this.pending.delete(key);
  }
}

/**
 * Whether the claim file `name` is in `dir`: a lookup, and a listing to confirm an absence (a stale lookup
 * must not kill a render). `unknown` when either failed otherwise than with ENOENT.
 */
export function claimPresence(dir: string, name: string): 'present' | 'absent' | 'unknown' {
  try {
    fs.statSync(path.join(dir, name));
    return 'present';
  } catch (error) {
    if (!isMissing(error)) return 'unknown';
  }
  try {
    return fs.readdirSync(dir).includes(name) ? 'present' : 'absent';
  } catch (error) {
    // the whole running/ folder gone: the job was removed
    return isMissing(error) ? 'absent' : 'unknown';
  }
}
