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
import { parseRunningName, runningFileName, type Claim } from '../spool/running-names.js';
import { tryEnd, type PendingEnd } from './end-retry.js';
import { isMissing } from '../spool/atomic.js';

/** What the reconciler needs of a chunk this node runs (daemon/worker.ts RunningChunk). */
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
 * Passes that still list running/ after this node last tried a claim or held a chunk: an entry of its own
 * appears only after a claim, and a stray seen at one pass is given back at the next.
 */
const PASSES_AFTER_CLAIM = 3;

export class OwnClaims {
  /** Ends that could not be recorded yet, by `job/chunk/token`. */
  private readonly pending = new Map<string, PendingEnd>();
  /** Own entries not run here at the last pass: given back if still so at the next (a claim on its way in is not). */
  private suspects = new Set<string>();
  /** Listing passes owed since the last claim tried (none at start: a new instance has no entries yet). */
  private passesOwed = 0;

  constructor(private readonly ctx: FarmContext, private readonly instance: string, private readonly held: () => Iterable<HeldChunk>) {}

  /** A claim is about to be tried: entries of this instance may appear in running/ from now on. */
  claimTried(): void {
    this.passesOwed = PASSES_AFTER_CLAIM;
  }

  /** Nothing held and no end left to record (what a clean exit needs before it removes its holding mark). */
  nothingPending(): boolean {
    return this.pending.size === 0 && this.suspects.size === 0 && this.held()[Symbol.iterator]().next().done === true;
  }

  /** Nothing of this instance can be in running/: nothing held, no end pending, and clean passes since its last claim. */
  quiet(): boolean {
    return this.passesOwed === 0 && this.nothingPending();
  }

  /** An end its chunk gave up recording: tried again at every pass until recorded or moot. */
  leave(pending: PendingEnd): void {
    this.pending.set(`${pending.job}/${pending.chunk}/${pending.claim.token}`, pending);
  }

  /**
   * Kills the chunks run here whose claim is gone: no longer in running/, or its chunk found in another
   * state as well (taken over, and a copy of the running file brought back). Returns how many.
   */
  killUnclaimed(): number {
    let killed = 0;
    for (const chunk of this.held()) {
      if (chunk.ending) continue;
      const dir = this.ctx.layout.stateDir(chunk.job.id, 'running');
      const name = runningFileName(chunk.record.id, chunk.claim);
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
    const runningHere = new Set([...this.held()].map((c) => `${c.job.id}/${c.record.id}/${c.claim.token}`));
    // an idle node lists no running/ folder: the cost of its pass must not grow with the active jobs (issue 17)
    if (runningHere.size > 0 || this.pending.size > 0 || this.suspects.size > 0) this.passesOwed = PASSES_AFTER_CLAIM;
    else if (this.passesOwed === 0) return;
    else this.passesOwed--;
    const seen = new Set<string>();
    const listed = new Set<string>();
    for (const { job } of await listActive(ctx)) {
      for (const name of await chunkEntries(ctx, job, 'running')) {
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
