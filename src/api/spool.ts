// The TypeScript API: open a spool, submit jobs and graphs, query, control and wait.
//   import { Spool, Job } from 'renderd';
import { systemClock, sleep } from '../liveness/clock.js';
import { LockManager } from '../claim/mutex.js';
import type { FarmContext } from '../claim/context.js';
import { openSpool } from '../spool/open.js';
import { resolveSpoolDir } from '../spool/location.js';
import { chunkSummaries, listJobSummaries, resolveJobRef, summarizeJob, summarizeJobById, type ChunkSummary, type JobSummary } from '../jobs/summary.js';
import { removeJob, retryFailed, setPaused, setPriority } from '../jobs/control.js';
import { isFinished } from '../jobs/state.js';
import { readNodeRecords } from '../nodes/registry.js';
import type { NodeRecord } from '../spool/records.js';
import { NotFoundError } from '../errors.js';
import { Group, Job, toGraph } from './job.js';
import { submitGraph, type Graph, type SubmittedJob } from '../jobs/submission/index.js';
import type { DependencyWarning } from '../project/check.js';

export interface SubmitOptions {
  /** Relative paths (the .blend, outputs, hooks, ./programs) are from here; default process.cwd(). */
  cwd?: string;
  /** Given: each Blender job's dependencies are checked first and its problems handed here; throw to queue nothing. */
  onWarnings?: (warnings: DependencyWarning[]) => void;
}

export class Spool {
  private constructor(readonly ctx: FarmContext) {}

  /** Opens (and on first use creates) the spool: `dir`, else RENDER_SPOOL, else the XDG default. */
  static async open(dir?: string, options: { log?: (line: string) => void } = {}): Promise<Spool> {
    const log = options.log ?? (() => undefined);
    const layout = await openSpool(resolveSpoolDir(dir, process.env, process.cwd()));
    return new Spool({ layout, clock: systemClock, log, locks: new LockManager(systemClock, log) });
  }

  get dir(): string { return this.ctx.layout.root; }

  /**
   * Submits jobs with everything they depend on, dependencies first, through the same pipeline as
   * `render add`: relative paths from `cwd`, paths under a project root (roots.json) stored in root form.
   */
  async submit(jobs: Job | Group | (Job | Group)[], options: SubmitOptions = {}): Promise<SubmittedJob[]> {
    return this.submitGraph(toGraph(Array.isArray(jobs) ? jobs : [jobs]), options);
  }

  async submitGraph(graph: Graph, options: SubmitOptions = {}): Promise<SubmittedJob[]> {
    return submitGraph(this.ctx, graph, { cwd: options.cwd ?? process.cwd(), nowMs: Date.now(), env: process.env, onWarnings: options.onWarnings });
  }

  list(): Promise<JobSummary[]> { return listJobSummaries(this.ctx); }

  async get(ref: string): Promise<JobSummary & { chunkList: ChunkSummary[] }> {
    const record = await resolveJobRef(this.ctx, ref);
    return { ...(await summarizeJob(this.ctx, record)), chunkList: await chunkSummaries(this.ctx, record.id) };
  }

  /** Resolves when every job has finished; a removed job rejects with NotFoundError. */
  async wait(refs: string | string[], options: { pollMs?: number; onProgress?: (jobs: JobSummary[]) => void } = {}): Promise<JobSummary[]> {
    const ids = await Promise.all((Array.isArray(refs) ? refs : [refs]).map(async (ref) => (await resolveJobRef(this.ctx, ref)).id));
    for (;;) {
      const summaries = await Promise.all(ids.map(async (id) => {
        const summary = await summarizeJobById(this.ctx, id);
        if (!summary) throw new NotFoundError(`job ${id} was removed`);
        return summary;
      }));
      options.onProgress?.(summaries);
      if (summaries.every((s) => isFinished(s.state))) return summaries;
      await sleep(options.pollMs ?? 300);
    }
  }

  async pause(ref: string): Promise<void> { await setPaused(this.ctx, (await resolveJobRef(this.ctx, ref)).id, true); }
  async resume(ref: string): Promise<void> { await setPaused(this.ctx, (await resolveJobRef(this.ctx, ref)).id, false); }
  async retry(ref: string): Promise<number> { return retryFailed(this.ctx, (await resolveJobRef(this.ctx, ref)).id); }
  async remove(ref: string): Promise<void> { await removeJob(this.ctx, (await resolveJobRef(this.ctx, ref)).id); }
  async setPriority(ref: string, priority: number): Promise<void> { await setPriority(this.ctx, (await resolveJobRef(this.ctx, ref)).id, priority); }

  async nodes(): Promise<NodeRecord[]> {
    return [...(await readNodeRecords(this.ctx.layout, this.ctx.log)).values()];
  }
}
