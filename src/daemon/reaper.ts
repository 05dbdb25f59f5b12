// Recovering chunks whose holder died: the node directory says who is alive (pid on this kernel, heartbeat
// elsewhere); for every active job, its running chunks' holders are judged (claim-check.ts) and the job's
// bookkeeping repaired (job-repairer.ts). The deletions are here: dead nodes unregistered, their marks removed.
import type { FarmContext } from '../claim/context.js';
import type { HolderJudge } from '../liveness/judge.js';
import { listActive } from '../jobs/active.js';
import { chunkEntries } from '../jobs/read.js';
import { removeNodeRecord } from '../nodes/registry.js';
import { removeHoldingMark, type HoldingMark } from '../liveness/holding-marks.js';
import type { JobRecord, NodeRecord } from '../spool/records.js';
import type { NodeTraits } from '../jobs/eligibility.js';
import { leaseFileOf } from '../claim/mutex.js';
import { ClaimCheck, type AskNode } from './claim-check.js';
import { JobRepairer } from './job-repairer.js';
import { markHolder, NodeDirectory, withProcess } from './node-directory.js';
import fs from 'node:fs';
import type { Cadence } from './cadence.js';

/** The sweep's periods (cadence.ts): a node quiet, dead or gone makes the next sweep a full one at once. */
export type ReaperCadence = Pick<Cadence, 'safetySweepMs' | 'safetySweepPerJobMs' | 'lostEntryCheckMs' | 'nodesRefreshMs' | 'nodesRefreshPerNodeMs'>;

export class Reaper {
  private lastSweepMs = -Infinity;
  private lastActiveCount = 0;
  /** Who is alive: also read by the finder (names and traits, through nodeNames/nodeTraits). */
  readonly directory: NodeDirectory;
  private readonly claims: ClaimCheck;
  private readonly repairer: JobRepairer;

  constructor(
    private readonly ctx: FarmContext,
    private readonly judge: HolderJudge,
    selfInstance: string,
    private readonly cadence: ReaperCadence,
    ask?: AskNode,
    /** A job this sweep found finished (its last chunk's node could not mark it): announced once. */
    onJobFinished?: (job: JobRecord) => void,
  ) {
    this.directory = new NodeDirectory(ctx, judge, selfInstance, cadence);
    this.claims = new ClaimCheck(ctx, judge, selfInstance, this.directory, ask);
    this.repairer = new JobRepairer(ctx, cadence.lostEntryCheckMs, onJobFinished);
  }

  /** The nodes registered at the last sweep. */
  nodeNames(): string[] {
    return this.directory.nodeNames();
  }

  /** What the live nodes can run (pool, tags, memory), for the blocklist's escape hatch. */
  nodeTraits(): NodeTraits[] {
    return this.directory.nodeTraits();
  }

  /** One sweep; returns how many chunks went back to the queue. */
  async sweep(): Promise<number> {
    const { ctx } = this;
    const now = ctx.clock.monotonicMs();
    const scan = this.directory.scan(now);
    const safetyMs = Math.max(this.cadence.safetySweepMs, this.lastActiveCount * this.cadence.safetySweepPerJobMs);
    const calm = !scan.someoneLeft && now - this.lastSweepMs < safetyMs;
    if (calm && !scan.refresh && scan.marks.length === 0 && scan.quietIdle.length === 0) {
      this.judge.prune(now, scan.keepMs);
      return 0;
    }
    const { records, dead, allAlive } = await this.directory.read(scan);
    await this.unregister(dead);
    // every holder is a live node that beat lately: nobody's chunks need looking at
    if (allAlive && calm) {
      this.judge.prune(now, scan.keepMs);
      return 0;
    }
    this.lastSweepMs = now;
    let recovered = 0;
    const active = await listActive(ctx);
    this.lastActiveCount = active.length;
    for (const entry of active) {
      // one job that cannot be read must not keep the others' chunks from being recovered
      recovered += await this.repairer.guarded(entry.job, async () => {
        let back = 0;
        const running = await chunkEntries(ctx, entry.job, 'running');
        for (const name of running) back += await this.claims.check(entry.job, name, records, scan.refresh, now);
        if (running.length === 0) await this.repairer.finishIfDone(entry.job);
        return back;
      });
    }
    this.dropDeadMarks(scan.marks, records, now);
    this.judge.prune(now, scan.keepMs);
    this.claims.prune(now);
    await this.repairer.restoreLostEntriesEvery(safetyMs, new Set(active.map((e) => e.job)), now);
    return recovered;
  }

  /** A node judged dead had no clean exit: its record is removed, so `render nodes` and the blocklist stop counting it. */
  private async unregister(dead: NodeRecord[]): Promise<void> {
    for (const record of dead) {
      await removeNodeRecord(this.ctx.layout, record.name, record.instance);
      this.ctx.log(`node ${record.name} (pid ${record.pid} on ${record.host}) is gone: unregistered`);
    }
  }

  /**
   * After a full sweep, the marks of instances judged dead go: their chunks were given back in that sweep
   * (one left over, its lock busy, is found by a later safety sweep).
   */
  private dropDeadMarks(marks: HoldingMark[], records: ReadonlyMap<string, NodeRecord>, now: number): void {
    for (const mark of marks) {
      if (this.judge.verdict(withProcess(markHolder(mark), records), records, now) !== 'dead') continue;
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
}
