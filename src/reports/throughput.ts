// Farm throughput over time: frames finished per timeline bucket, as frames per hour.
import type { AttemptStat } from './stat-line.js';
import { endMsOf, type ReportWindow } from './window.js';

const HOUR_MS = 3_600_000;

export interface ThroughputBucket {
  /** ISO start of the bucket. */
  start: string;
  frames: number;
  failures: number;
  framesPerHour: number;
}

export function throughputOf(stats: AttemptStat[], window: ReportWindow): ThroughputBucket[] {
  const first = window.buckets[0] ?? window.startMs;
  const frames = window.buckets.map(() => 0);
  const failures = window.buckets.map(() => 0);
  for (const stat of stats) {
    const endMs = endMsOf(stat);
    // an end exactly on the window's end belongs to the last bucket, not one past it
    const i = Math.min(Math.floor((endMs - first) / window.bucketMs), endMs <= window.endMs ? frames.length - 1 : Infinity);
    if (i < 0 || i >= frames.length) continue;
    if (stat.outcome === 'done') frames[i] += stat.frames;
    if (stat.outcome === 'failed') failures[i]++;
  }
  return window.buckets.map((start, i) => ({
    start: new Date(start).toISOString(),
    frames: frames[i],
    failures: failures[i],
    framesPerHour: Math.round((frames[i] * HOUR_MS) / window.bucketMs),
  }));
}
