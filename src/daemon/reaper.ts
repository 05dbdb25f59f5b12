// Recovering chunks whose holder died: for every active job, look at its running chunks and judge their
// holders (pid on this kernel, heartbeat elsewhere). Also repairs interrupted claims and lost entries.
import type { FarmContext } from '../claim/context.js';
import { changeChunk, endAttempt, endOptionsFor } from '../claim/protocol.js';
import { readChunkEntry } from '../claim/chunks.js';
import { UNKNOWN_PROCESS } from '../claim/transitions.js';
import { parseRunningName } from '../spool/running-names.js';
import type { HolderJudge } from '../liveness/judge.js';
import { activateJob, deactivateIfFinished, hasLiveChunks, listActive } from '../jobs/active.js';
import { chunkEntries, listJobIds, readJob } from '../jobs/read.js';
import { readNodeRecords, readNodeRecordsOf, removeNodeRecord } from '../nodes/registry.js';
import { holdingDir, parseHoldingMark, removeHoldingMark, type HoldingMark } from '../liveness/holding-marks.js';
import { FolderView } from '../spool/folder-view.js';
import { isSafeName } from '../spool/layout.js';
import { HolderJudge as Judge, type SocketAnswer } from '../liveness/judge.js';
import { ChangeWatch } from '../liveness/change-watch.js';
import type { Holder, JobRecord, NodeRecord } from '../spool/records.js';
import type { RequestDraft, SendResult } from '../peers/index.js';
import { describeJobError } from '../jobs/broken.js';
import { traitsOfRecord, type NodeTraits } from './eligibility.js';
import { WatchedHolders } from '../liveness/watchers.js';
import { IdleNodeWatch } from '../liveness/idle-nodes.js';
import { nameClaimsDir } from '../nodes/name-claim.js';
import { NODE_SILENT_MS } from '../liveness/budget.js';
import { leaseFileOf } from '../claim/mutex.js';
import fs from 'node:fs';

/** Sends one request to a node (its socket); failures are results. */
export type AskNode = (record: NodeRecord, msg: RequestDraft) => Promise<SendResult>;

/** A claim must have been seen this long before its holder's "not running" may settle it. */
const MIN_CLAIM_AGE_MS = 1000;

/** How often the whole jobs/ folder is checked for jobs that lost their active/ entry in a crash. */
const FULL_CHECK_MS = 30_000;
/**
 * While every node is alive and none left, the running/ folders are swept this often, and less often the
 * more jobs are active (an idle node's cost must not grow with them: issue 17). A node quiet, dead or gone
 * makes the next sweep a full one at once.
 */
const SAFETY_SWEEP_MS = 30_000;
const SAFETY_SWEEP_PER_JOB_MS = 5_000;
/**
 * Every node record is read this often, and less often the more nodes there are (a node's share stays
 * about one read a second): idle nodes are judged, names and traits refreshed. Holders are watched
 * every sweep through their marks.
 */
const NODES_REFRESH_MS = 60_000;
const REFRESH_PER_NODE_MS = 1000;

export class Reaper {
  /** The first full check waits a window: it reads every job folder, and a starting node has work to find. */
  private lastFullCheckMs: number;
  private names: string[] = [];
  /** Jobs a sweep could not look at, with the reason last logged: each named once, not every sweep. */
  private readonly unreadable = new Map<string, string>();
  /** Running files by first sighting, on our clock. */
  private readonly claimsSeen = new ChangeWatch<string>(60_000);
  /** Marked node instances seen at the last sweep; undefined before the first (which is a full one). */
  private instances: Set<string> | undefined;
  private lastSweepMs = -Infinity;
  private lastActiveCount = 0;
  /** nodes/.holding/, looked at every sweep. */
  private readonly holding: FolderView;
  /** When every record was last read (judging idle nodes too, and refreshing names and traits). */
  private lastRefreshMs = -Infinity;
  /** The nodes not judged dead, by name, as last read. */
  private readonly known = new Map<string, NodeRecord>();

  /** The few marked nodes whose heartbeats this node reads at each sweep. */
  private readonly watched = new WatchedHolders();
  /** The idle nodes this node watches the same way, by a stat of their records (idle-nodes.ts). */
  private readonly idle: IdleNodeWatch;
  /** nodes/.names/, looked at every sweep (a stat; listed when a node registers or leaves). */
  private readonly nameClaims: FolderView;

  /** The nodes registered at the last sweep. */
  nodeNames(): string[] {
    return this.names;
  }

  /** What the live nodes can run (pool, tags, memory), for the blocklist's escape hatch. */
  nodeTraits(): NodeTraits[] {
    return this.traits;
  }
  private traits: NodeTraits[] = [];

  constructor(
    private readonly ctx: FarmContext,
    private readonly judge: HolderJudge,
    private readonly selfInstance: string,
    private readonly ask?: AskNode,
    /** A job this sweep found finished (its last chunk's node could not mark it): announced once. */
    private readonly onJobFinished?: (job: JobRecord) => void,
  ) {
    this.lastFullCheckMs = ctx.clock.monotonicMs();
    this.holding = new FolderView(holdingDir(ctx.layout));
    this.idle = new IdleNodeWatch(ctx.layout.nodes);
    this.nameClaims = new FolderView(nameClaimsDir(ctx.layout));
  }

  /** One sweep; returns how many chunks went back to the queue. */
  async sweep(): Promise<number> {
    const { ctx } = this;
    const now = ctx.clock.monotonicMs();
    // only nodes that may hold chunks are watched, each by three: an idle farm costs one stat of nodes/.holding/ per look
    const marks = this.holding.view(now).map(parseHoldingMark)
      .filter((m): m is HoldingMark => !!m && isSafeName(m.node) && m.instance !== this.selfInstance && this.watched.watches(m.node, this.names));
    const refreshMs = Math.max(NODES_REFRESH_MS, this.known.size * REFRESH_PER_NODE_MS);
    const refresh = now - this.lastRefreshMs >= refreshMs;
    const safetyMs = Math.max(SAFETY_SWEEP_MS, this.lastActiveCount * SAFETY_SWEEP_PER_JOB_MS);
    const instances = new Set(marks.map((m) => `${m.node}/${m.instance}`));
    const someoneLeft = !this.instances || [...this.instances].some((i) => !instances.has(i));
    this.instances = instances;
    const marked = new Set(marks.map((m) => m.node));
    // names registered since the last refresh are watched too: a node that dies in its first minute is no exception
    const named = [...new Set([...this.names, ...this.nameClaims.view(now).filter((name) => isSafeName(name) && !name.startsWith('.'))])].sort();
    const quietIdle = this.idle.quiet(named.filter((name) => !marked.has(name) && !this.watched.isSelf(name) && this.watched.watches(name, named)), now);
    // a node seen only at refreshes is remembered from one to the next, or each look would be a first sighting
    const keepMs = Math.max(3 * NODE_SILENT_MS, 3 * refreshMs);
    if (!refresh && marks.length === 0 && quietIdle.length === 0 && !someoneLeft && now - this.lastSweepMs < safetyMs) {
      this.judge.prune(now, keepMs);
      return 0;
    }
    if (refresh) this.lastRefreshMs = now;
    const records = refresh ? await readNodeRecords(ctx.layout, ctx.log) : await readNodeRecordsOf(ctx.layout, [...marked, ...quietIdle], ctx.log);
    const { allAlive } = await this.judgeNodes(records, marks, refresh, now);
    // every holder is a live node that beat lately: nobody's chunks need looking at
    if (allAlive && !someoneLeft && now - this.lastSweepMs < safetyMs) {
      this.judge.prune(now, keepMs);
      return 0;
    }
    this.lastSweepMs = now;
    let recovered = 0;
    const active = await listActive(ctx);
    this.lastActiveCount = active.length;
    for (const entry of active) {
      // one job that cannot be read must not keep the others' chunks from being recovered
      recovered += await this.guarded(entry.job, async () => {
        let back = 0;
        const running = await chunkEntries(ctx, entry.job, 'running');
        for (const name of running) back += await this.check(entry.job, name, records, refresh, now);
        if (running.length === 0) await this.finishIfDone(entry.job);
        return back;
      });
    }
    this.dropDeadMarks(marks, records, now);
    this.judge.prune(now, keepMs);
    this.claimsSeen.prune(now);
    if (now - this.lastFullCheckMs >= Math.max(FULL_CHECK_MS, safetyMs)) {
      this.lastFullCheckMs = now;
      await this.restoreLostEntries(new Set(active.map((e) => e.job)));
    }
    return recovered;
  }

  /**
   * Judges the nodes read (all of them at a refresh, else the marked ones) and every marked instance, with
   * or without a record; the names and traits of the nodes not judged dead are kept for the finder.
   */
  private async judgeNodes(records: Map<string, NodeRecord>, marks: HoldingMark[], refresh: boolean, now: number): Promise<{ allAlive: boolean }> {
    const { alive, dead, allAlive } = await this.liveNodeNames(records, now);
    if (refresh) this.known.clear();
    for (const name of alive) this.known.set(name, records.get(name)!);
    for (const name of dead) this.known.delete(name);
    this.names = [...this.known.keys()];
    this.traits = this.names.map((name) => traitsOfRecord(this.known.get(name), name));
    // a mark whose instance has no record (gone, or another instance under its name) is judged by the window too
    let marksAlive = true;
    for (const mark of marks) {
      if (records.get(mark.node)?.instance === mark.instance) continue;
      if (this.judge.verdict(withProcess({ ...UNKNOWN_PROCESS, node: mark.node, instance: mark.instance }, records), records, now) !== 'alive') marksAlive = false;
    }
    return { allAlive: allAlive && marksAlive };
  }

  /**
   * After a full sweep, the marks of instances judged dead go: their chunks were given back in that sweep
   * (one left over, its lock busy, is found by a later safety sweep).
   */
  private dropDeadMarks(marks: HoldingMark[], records: ReadonlyMap<string, NodeRecord>, now: number): void {
    for (const mark of marks) {
      const holder = withProcess({ ...UNKNOWN_PROCESS, node: mark.node, instance: mark.instance }, records);
      if (this.judge.verdict(holder, records, now) !== 'dead') continue;
      try {
        removeHoldingMark(this.ctx.layout, mark);
        // its lock lease too: the locks linked to it were broken or go stale (claim/mutex.ts)
        fs.rmSync(leaseFileOf(this.ctx.layout, mark.instance), { force: true });
        this.ctx.log(`node ${mark.node}: holding mark of its gone instance removed`);
      } catch (error) {
        this.ctx.log(`node ${mark.node}: holding mark could not be removed: ${(error as Error).message}`);
      }
    }
  }

  /** Judges the holder of the running chunk file `name`; returns 1 if the chunk went back to the queue. */
  private async check(job: string, name: string, records: Map<string, NodeRecord>, refresh: boolean, now: number): Promise<number> {
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
      if (!this.watched.watches(claim.node, this.names)) return 0;
      // a watched holder without a mark (a stale view of nodes/.holding/): its record is read now, never presumed gone
      if (isSafeName(claim.node)) for (const [node, record] of await readNodeRecordsOf(ctx.layout, [claim.node], ctx.log)) records.set(node, record);
    }
    // a holder whose record (same instance) is read judges alike from its claim's name: a live one's file is
    // not read (a busy farm's sweep read every running file: issue 26)
    const byName = records.get(claim.node)?.instance === claim.instance ? withProcess({ ...UNKNOWN_PROCESS, node: claim.node, instance: claim.instance }, records) : undefined;
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
      if (Judge.settle(answer) === 'alive') return 0;
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

  /**
   * The nodes judged alive by the same rule as chunk holders. A node judged dead had no clean exit:
   * its record is removed, so `render nodes` and the blocklist stop counting it.
   */
  private async liveNodeNames(records: Map<string, NodeRecord>, now: number): Promise<{ alive: string[]; dead: string[]; allAlive: boolean }> {
    const alive: string[] = [];
    const dead: string[] = [];
    let allAlive = true;
    for (const record of records.values()) {
      if (record.instance === this.selfInstance) this.watched.setSelf(record.name);
      const verdict = record.instance === this.selfInstance ? 'alive' : this.judge.verdict({ ...record, node: record.name }, records, now);
      if (verdict !== 'alive') allAlive = false;
      if (verdict !== 'dead') {
        alive.push(record.name);
        continue;
      }
      dead.push(record.name);
      await removeNodeRecord(this.ctx.layout, record.name, record.instance);
      this.ctx.log(`node ${record.name} (pid ${record.pid} on ${record.host}) is gone: unregistered`);
    }
    return { alive, dead, allAlive };
  }

  /** The entry of a job with nothing left to run outlived its last chunk (a crash, a busy lock): finish it. */
  private async finishIfDone(job: string): Promise<void> {
    if (await hasLiveChunks(this.ctx, job)) return;
    const record = await readJob(this.ctx, job);
    if (!record) return;
    if (await deactivateIfFinished(this.ctx, job)) {
      this.ctx.log(`job ${job} had finished without being marked: done now`);
      this.onJobFinished?.(record);
    }
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

  private async restoreLostEntries(active: Set<string>): Promise<void> {
    for (const job of await listJobIds(this.ctx)) {
      await this.guarded(job, async () => {
        if (active.has(job) || !(await hasLiveChunks(this.ctx, job))) return 0;
        const record = await readJob(this.ctx, job);
        if (!record || record.failedEarly) return 0;
        await activateJob(this.ctx, job);
        this.ctx.log(`job ${job} had chunks to run but no active/ entry: restored`);
        return 0;
      });
    }
  }

  /** Runs one job's part of a sweep; its failure is logged (once per reason) and costs only that job. */
  private async guarded(job: string, work: () => Promise<number>): Promise<number> {
    try {
      const result = await work();
      this.unreadable.delete(job);
      return result;
    } catch (error) {
      const reason = describeJobError(error);
      if (this.unreadable.get(job) !== reason) this.ctx.log(`recovery sweep: job ${job} skipped: ${reason}`);
      this.unreadable.set(job, reason);
      return 0;
    }
  }
}


/** A holder known only by its claim's name gets its process (host, pid) from its node's record, if that is the same instance. */
function withProcess(holder: Holder, records: ReadonlyMap<string, NodeRecord>): Holder {
  if (holder.bootId !== UNKNOWN_PROCESS.bootId) return holder;
  const record = records.get(holder.node);
  if (!record || record.instance !== holder.instance) return holder;
  return { ...holder, host: record.host, bootId: record.bootId, pidns: record.pidns, pid: record.pid, pidStart: record.pidStart };
}
