// The time a report covers and the buckets it is cut into. Stat times are each node's wall clock:
// good enough to draw (display only), never used to judge anything.
import type { AttemptStat } from './stat-line.js';

export interface ReportWindow {
  startMs: number;
  endMs: number;
  /** Width of one timeline bucket. */
  bucketMs: number;
  /** Start of each bucket, aligned to a multiple of bucketMs. */
  buckets: number[];
}

/** Bucket widths people read easily, smallest first. */
export const NICE_BUCKETS_MS = [1, 5, 10, 15, 30].map((s) => s * 1000)
  .concat([1, 5, 10, 15, 30].map((m) => m * 60_000))
  .concat([1, 2, 3, 6, 12, 24, 168].map((h) => h * 3_600_000));
/** Enough columns for a sparkline or a chart, few enough to read. */
export const MAX_BUCKETS = 48;

export const endMsOf = (stat: AttemptStat): number => Date.parse(stat.end);
/** The attempt's interval ends at its end time and lasts its monotonic duration. */
export const startMsOf = (stat: AttemptStat): number => endMsOf(stat) - stat.durationMs;

export function chooseBucketMs(spanMs: number, maxBuckets = MAX_BUCKETS): number {
  return NICE_BUCKETS_MS.find((b) => Math.ceil(Math.max(spanMs, 1) / b) + 1 <= maxBuckets) ?? NICE_BUCKETS_MS[NICE_BUCKETS_MS.length - 1];
}

/**
 * With `sinceMs`: the last `sinceMs` up to `nowMs`. Without: from the first attempt's start to the
 * last one's end (an idle week after the last job does not dilute utilisation). Null when no stats.
 */
export function reportWindow(stats: AttemptStat[], nowMs: number, sinceMs?: number, bucketMs?: number): ReportWindow | null {
  let startMs: number;
  let endMs: number;
  if (sinceMs !== undefined) {
    startMs = nowMs - sinceMs;
    endMs = nowMs;
  } else {
    if (stats.length === 0) return null;
    // a loop, not Math.min(...): a spread of 100,000 values overflows the stack
    startMs = Infinity;
    endMs = -Infinity;
    for (const stat of stats) {
      startMs = Math.min(startMs, startMsOf(stat));
      endMs = Math.max(endMs, endMsOf(stat));
    }
  }
  if (endMs <= startMs) endMs = startMs + 1;
  const width = bucketMs ?? chooseBucketMs(endMs - startMs);
  const buckets: number[] = [];
  for (let b = Math.floor(startMs / width) * width; b < endMs; b += width) buckets.push(b);
  return { startMs, endMs, bucketMs: width, buckets };
}

/** Milliseconds of [from, to) covered by [a, b). */
export function overlapMs(a: number, b: number, from: number, to: number): number {
  return Math.max(0, Math.min(b, to) - Math.max(a, from));
}

/** The part of an attempt's run time inside [from, to). */
export function busyWithinMs(stat: AttemptStat, from: number, to: number): number {
  return overlapMs(startMsOf(stat), endMsOf(stat), from, to);
}

/** Attempts that ran at least partly inside the window. */
export function statsInWindow(stats: AttemptStat[], window: Pick<ReportWindow, 'startMs' | 'endMs'>): AttemptStat[] {
  return stats.filter((stat) => endMsOf(stat) >= window.startMs && startMsOf(stat) <= window.endMs);
}
