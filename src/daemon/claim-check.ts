// One running chunk judged during a recovery sweep: its holder alive (left alone), suspect (asked over its
// socket), or dead (its lock broken and the attempt ended as lost, so the chunk goes back to the queue).
import type { FarmContext } from '../claim/context.js';
import { changeChunk, endAttempt, endOptionsFor } from '../claim/protocol.js';
import { readChunkEntry } from '../claim/chunks.js';
import { parseRunningName } from '../spool/running-names.js';
import { HolderJudge, type SocketAnswer } from '../liveness/judge.js';
import { readJob } from '../jobs/read.js';
import { readNodeRecordsOf } from '../nodes/registry.js';
import { isSafeName } from '../spool/layout.js';
import { ChangeWatch } from '../liveness/change-watch.js';
import type { NodeRecord } from '../spool/records.js';
import type { RequestDraft, SendResult } from '../peers/index.js';
import { markHolder, withProcess, type NodeDirectory } from './node-directory.js';
import { MIN_CLAIM_AGE_MS } from '../liveness/budget.js';

/** Sends one request to a node (its socket); failures are results. */
export type AskNode = (record: NodeRecord, msg: RequestDraft) => Promise<SendResult>;

export class ClaimCheck {
  /** Running files by first sighting, on our clock. */
  private readonly claimsSeen = new ChangeWatch<string>(60_000);

  constructor(
    private readonly ctx: FarmContext,
    private readonly judge: HolderJudge,
    private readonly selfInstance: string,
    private readonly directory: NodeDirectory,
    private readonly ask?: AskNode,
  ) {}

  /**
   * Judges the holder of the running chunk file `name`; returns 1 if the chunk went back to the queue.
   * `records`: the nodes read this sweep (every one when `refresh`), added to when a watched holder is read.
   */
  async check(job: string, name: string, records: Map<string, NodeRecord>, refresh: boolean, now: number): Promise<number> {
    const { ctx } = this;
    const parsed = parseRunningName(name);
    if (!parsed) return 0;
    const { chunk, claim } = parsed;
    if (!claim) {
      // a name without a claim (an older renderd's claim, or its crash between move and rewrite): put it
      // back under the lock. A held lock means its holder runs it (it keeps the lock until the chunk
      // ends): never wait for it; a dead holder's lock goes stale and a later sweep breaks it
      const repaired = await changeChunk(ctx, job, chunk, 'running', (r) => ({ ...r, state: 'queued', rev: r.rev + 1, token: undefined, holder: undefined }), { once: true });
      if (repaired) ctx.log(`chunk ${job}/${chunk}: a claim without a holder's name put back in the queue`);
      return repaired ? 1 : 0;
    }
    if (claim.instance === this.selfInstance) return 0;
    if (!records.has(claim.node) && !refresh) {
      // a holder this node does not watch is judged by its watchers, and by this node only at a refresh (which
      // read every record): a busy farm's full sweeps read 200 records each (issue 26)
      if (!this.directory.watches(claim.node)) return 0;
      // a watched holder without a mark (a stale view of nodes/.holding/): its record is read now, never presumed gone
      if (isSafeName(claim.node)) for (const [node, record] of await readNodeRecordsOf(ctx.layout, [claim.node], ctx.log)) records.set(node, record);
    }
    // a holder whose record (same instance) is read judges alike from its claim's name: a live one's file is
    // not read (a busy farm's sweep read every running file: issue 26)
    const byName = records.get(claim.node)?.instance === claim.instance ? withProcess(markHolder(claim), records) : undefined;
    if (byName && this.judge.verdict(byName, records, now) === 'alive') return 0;
    const read = await readChunkEntry(ctx, job, 'running', name);
    if (!read.ok) return 0;
    const { record } = read;
    const holder = withProcess(record.holder!, records);
    const verdict = this.judge.verdict(holder, records, now);
    if (verdict === 'alive') return 0;
    if (verdict === 'suspect') {
      // a claim seen for the first time may be between its rename and its start: its holder would not know it yet
      if (this.claimsSeen.unchangedMs(`${job}/${name}`, 'seen', now) < MIN_CLAIM_AGE_MS) return 0;
      const holderRecord = records.get(holder.node);
      const answer = holderRecord?.instance === holder.instance ? await this.askHolder(holderRecord, job, chunk, claim.token) : 'no-answer';
      if (HolderJudge.settle(answer) === 'alive') return 0;
    }
    const jobRecord = await readJob(ctx, job);
    const why = `node ${holder.node} (pid ${holder.pid} on ${holder.host || 'its host'}) is gone`;
    // a holder keeps its chunk's lock until the end: a dead one's lock is broken now, not when it goes
    // stale; only while the chunk still bears its claim (another node may have recovered it meanwhile)
    if (!(await readChunkEntry(ctx, job, 'running', name)).ok) return 0;
    // only the dead instance's lock: one held by anyone else (another reaper at work) is left to them
    if (!ctx.locks.breakHeld(ctx.layout.chunkLock(job, chunk), why, holder.instance)) return 0;
    const result = await endAttempt(ctx, job, chunk, claim, { outcome: 'lost', error: why }, endOptionsFor(jobRecord));
    if (!result.ok) return 0;
    ctx.log(`chunk ${job}/${chunk} attempt ${record.attempt}: ${why}; back in the queue`);
    return 1;
  }

  /** Forgets claims not seen for a while. */
  prune(now: number): void {
    this.claimsSeen.prune(now);
  }

  /**
   * Only the holder's own instance saying it does not run the chunk counts as `not-running`. "Refused" is
   * no proof: an advertised address that is not where the node listens (a NIC down at boot, docker0, a
   * firewall REJECT) refuses too, and another renderd may answer at that address.
   */
  private async askHolder(holder: NodeRecord, job: string, chunk: string, token: string): Promise<SocketAnswer> {
    if (!this.ask || !holder.address) return 'no-answer';
    const result = await this.ask({ ...holder, socket: undefined }, { type: 'liveness-request', body: { job, chunk, token } });
    if (!result.ok || result.reply.type !== 'liveness-reply') return 'no-answer';
    const { running, instance } = result.reply.body;
    if (running) return 'running';
    return instance === holder.instance ? 'not-running' : 'no-answer';
  }
}
