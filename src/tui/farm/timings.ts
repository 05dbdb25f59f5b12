// Gathers the chunk times the ETA needs without reading every chunk file on every refresh: each done
// chunk is read once, at most DONE_SAMPLE per job, and at most READ_BUDGET files per refresh, jobs
// still rendering first. Running chunks' start times come from the node records, which cost nothing.
import type { FarmContext } from '../../claim/context.js';
import { readChunk } from '../../claim/chunks.js';
import { chunkNames } from '../../jobs/read.js';
import type { JobSummary } from '../../jobs/summary.js';
import type { NodeRecord } from '../../spool/records.js';
import { addChunkTimes, EMPTY_TIMING, type JobTiming } from '../model/timing.js';
import { parseIsoMs } from '../model/text.js';

/** Enough done chunks for a steady mean; more would cost reads and change little. */
export const DONE_SAMPLE = 40;
/** Chunk files read per refresh, so a spool of 1,000 fresh jobs does not stall the first seconds. */
export const READ_BUDGET = 200;

interface Gathered { timing: JobTiming; read: Set<string> }

export class TimingGatherer {
  private readonly jobs = new Map<string, Gathered>();

  constructor(private readonly ctx: FarmContext) {}

  /** Reads what is still missing (within budget) and returns every job's timing. */
  async refresh(jobs: readonly JobSummary[], nodes: readonly NodeRecord[]): Promise<Map<string, JobTiming>> {
    const ids = new Set(jobs.map((j) => j.id));
    for (const id of this.jobs.keys()) if (!ids.has(id)) this.jobs.delete(id);
    let budget = READ_BUDGET;
    for (const job of rankForReading(jobs)) {
      if (budget <= 0) break;
      budget -= await this.readMore(job, budget);
    }
    const running = runningStarts(nodes);
    const timings = new Map<string, JobTiming>();
    for (const job of jobs) {
      const base = this.jobs.get(job.id)?.timing ?? EMPTY_TIMING;
      timings.set(job.id, { ...base, runningStartsMs: running.get(job.id) ?? [] });
    }
    return timings;
  }

  /** Reads some of the job's unread done chunks; returns how many files it read. */
  private async readMore(job: JobSummary, budget: number): Promise<number> {
    const gathered = this.jobs.get(job.id) ?? { timing: EMPTY_TIMING, read: new Set<string>() };
    this.jobs.set(job.id, gathered);
    const want = Math.min(job.chunks.done, DONE_SAMPLE) - gathered.read.size;
    if (want <= 0) return 0;
    const names = (await chunkNames(this.ctx, job.id, 'done')).sort();
    const unread = pickSample(names.filter((n) => !gathered.read.has(n)), Math.min(want, budget));
    const results = await Promise.all(unread.map((name) => readChunk(this.ctx, job.id, 'done', name)));
    unread.forEach((name, i) => {
      gathered.read.add(name);
      const result = results[i];
      if (result.ok) gathered.timing = addChunkTimes(gathered.timing, parseIsoMs(result.record.startedAt), parseIsoMs(result.record.endedAt), true);
    });
    return unread.length;
  }
}

/** Jobs rendering now first, then waiting ones, finished ones last (their elapsed time only). */
function rankForReading(jobs: readonly JobSummary[]): JobSummary[] {
  const rank = { running: 0, queued: 1, paused: 2, failed: 3, broken: 3, done: 4 } as const;
  return jobs.filter((j) => j.chunks.done > 0).sort((a, b) => rank[a.state] - rank[b.state]);
}

/** The first chunk (the job's start) and the newest ones (its current pace). */
export function pickSample(names: readonly string[], count: number): string[] {
  if (count <= 0 || names.length === 0) return [];
  if (names.length <= count) return [...names];
  return [names[0], ...names.slice(names.length - (count - 1))];
}

function runningStarts(nodes: readonly NodeRecord[]): Map<string, number[]> {
  const starts = new Map<string, number[]>();
  for (const node of nodes) {
    for (const run of node.running) {
      const ms = parseIsoMs(run.startedAt);
      if (ms === undefined) continue;
      const list = starts.get(run.job) ?? [];
      list.push(ms);
      starts.set(run.job, list);
    }
  }
  return starts;
}
