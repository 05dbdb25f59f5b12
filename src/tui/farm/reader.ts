// Reads what the ui shows off the spool: jobs (one job.json and four readdirs each), nodes, the
// selected job's chunks and the selected chunk's log tail. The only part of the ui that reads files.
import fs from 'node:fs/promises';
import type { FarmContext } from '../../claim/context.js';
import { chunkSummaries, listJobSummaries, type ChunkSummary, type JobSummary } from '../../jobs/summary.js';
import { readNodeRecords } from '../../nodes/registry.js';
import { isMissing } from '../../spool/atomic.js';
import type { NodeRecord } from '../../spool/records.js';
import type { JobTiming } from '../model/timing.js';
import { BeatWatch } from './liveness.js';
import { noNodeRuns, recentNodeTraits } from '../../jobs/eligibility.js';
import { TimingGatherer } from './timings.js';

/** The log pane shows at most this much of the end of a log: a screenful, with room to scroll. */
export const LOG_TAIL_BYTES = 64 * 1024;

export interface Overview {
  jobs: JobSummary[];
  timings: Map<string, JobTiming>;
  nodes: NodeRecord[];
  nodeSilentMs: Map<string, number>;
}

export class FarmReader {
  private readonly timings: TimingGatherer;
  private readonly beats: BeatWatch;
  private chunkCache?: { job: string; key: string; list: ChunkSummary[] };

  constructor(private readonly ctx: FarmContext) {
    this.timings = new TimingGatherer(ctx);
    this.beats = new BeatWatch(ctx.clock);
  }

  async readOverview(): Promise<Overview> {
    const nodes = [...(await readNodeRecords(this.ctx.layout, this.ctx.log)).values()];
    // a queued job no live node can run says why (its Blender, pool…) in its row's reason
    const traits = recentNodeTraits(nodes, Date.parse(this.ctx.clock.wallIso()));
    const jobs = await listJobSummaries(this.ctx, (record) => noNodeRuns(record, traits));
    const timings = await this.timings.refresh(jobs, nodes);
    return { jobs, timings, nodes, nodeSilentMs: this.beats.observe(nodes) };
  }

  /** The job's chunks; read again only when its counts moved or some run (their progress changes). */
  async readChunks(job: JobSummary): Promise<ChunkSummary[]> {
    const c = job.chunks;
    const key = `${c.queued}/${c.running}/${c.done}/${c.failed}`;
    const cached = this.chunkCache;
    if (cached && cached.job === job.id && cached.key === key && c.running === 0) return cached.list;
    // a broken job's folder may not be readable: no chunks to show, its reason is in the pane
    const list = job.state === 'broken' ? await chunkSummaries(this.ctx, job.id).catch(() => []) : await chunkSummaries(this.ctx, job.id);
    this.chunkCache = { job: job.id, key, list };
    return list;
  }

  /** The end of a chunk attempt's log, from a line start; '' when it has no log (yet). */
  async readLogTail(job: string, chunk: string, attempt: number): Promise<string> {
    let handle: fs.FileHandle;
    try {
      handle = await fs.open(this.ctx.layout.logFile(job, chunk, attempt), 'r');
    } catch (error) {
      if (isMissing(error)) return '';
      throw error;
    }
    try {
      const { size } = await handle.stat();
      const start = Math.max(0, size - LOG_TAIL_BYTES);
      const buffer = Buffer.alloc(size - start);
      await handle.read(buffer, 0, buffer.length, start);
      const text = buffer.toString('utf8');
      // a tail that begins mid-line would show half a line first
      return start === 0 ? text : text.slice(text.indexOf('\n') + 1);
    } finally {
      await handle.close();
    }
  }
}
