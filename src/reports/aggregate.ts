// A whole report from stat lines: the window, per-job and per-node figures, farm throughput.
// Pure: the reader's wall clock comes in as `nowMs`.
import type { AttemptStat } from './stat-line.js';
import { jobStatsOf, type JobStats } from './job-stats.js';
import { nodeStatsOf, type KnownNode, type NodeStats } from './node-stats.js';
import { throughputOf, type ThroughputBucket } from './throughput.js';
import { reportWindow, statsInWindow, type ReportWindow } from './window.js';

export interface AggregateOptions {
  nowMs: number;
  /** Only the last `sinceMs` (render stats --since); else everything on record. */
  sinceMs?: number;
  bucketMs?: number;
  /** Registered nodes, listed even when idle. */
  knownNodes?: KnownNode[];
}

export interface FarmTotals {
  attempts: number;
  chunksDone: number;
  frames: number;
  failures: number;
  busyMs: number;
}

export interface FarmReport {
  window: { start: string; end: string; ms: number; bucketMs: number; since?: number } | null;
  totals: FarmTotals;
  jobs: JobStats[];
  nodes: NodeStats[];
  throughput: ThroughputBucket[];
}

export function aggregateStats(all: AttemptStat[], options: AggregateOptions): FarmReport {
  const window = reportWindow(all, options.nowMs, options.sinceMs, options.bucketMs);
  if (!window) return { window: null, totals: totalsOf([], []), jobs: [], nodes: nodeStatsOf([], emptyWindow(options.nowMs), options.knownNodes), throughput: [] };
  const stats = statsInWindow(all, window);
  const jobs = jobStatsOf(stats);
  const nodes = nodeStatsOf(stats, window, options.knownNodes);
  return {
    window: describeWindow(window, options.sinceMs),
    totals: totalsOf(jobs, nodes),
    jobs,
    nodes,
    throughput: throughputOf(stats, window),
  };
}

function totalsOf(jobs: JobStats[], nodes: NodeStats[]): FarmTotals {
  const sum = <T>(list: T[], pick: (x: T) => number) => list.reduce((s, x) => s + pick(x), 0);
  return {
    attempts: sum(jobs, (j) => j.attempts),
    chunksDone: sum(jobs, (j) => j.chunksDone),
    frames: sum(jobs, (j) => j.frames),
    failures: sum(jobs, (j) => j.failures),
    busyMs: sum(nodes, (n) => n.busyMs),
  };
}

function describeWindow(window: ReportWindow, sinceMs: number | undefined): NonNullable<FarmReport['window']> {
  return {
    start: new Date(window.startMs).toISOString(),
    end: new Date(window.endMs).toISOString(),
    ms: window.endMs - window.startMs,
    bucketMs: window.bucketMs,
    ...(sinceMs !== undefined ? { since: sinceMs } : {}),
  };
}

function emptyWindow(nowMs: number): ReportWindow {
  return { startMs: nowMs, endMs: nowMs + 1, bucketMs: 1000, buckets: [] };
}
