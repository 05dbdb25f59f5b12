// Summaries of a set of durations: the five numbers of a box plot, and histogram bins.

export interface BoxSummary {
  count: number;
  min: number;
  q1: number;
  median: number;
  q3: number;
  max: number;
}

/** Linear interpolation between closest ranks (the usual "type 7" quantile). */
export function quantile(sorted: readonly number[], q: number): number {
  if (sorted.length === 0) return NaN;
  const pos = (sorted.length - 1) * q;
  const lower = Math.floor(pos);
  const upper = Math.ceil(pos);
  return sorted[lower] + (sorted[upper] - sorted[lower]) * (pos - lower);
}

export function boxSummary(values: readonly number[]): BoxSummary | null {
  if (values.length === 0) return null;
  const sorted = [...values].sort((a, b) => a - b);
  return {
    count: sorted.length,
    min: sorted[0],
    q1: quantile(sorted, 0.25),
    median: quantile(sorted, 0.5),
    q3: quantile(sorted, 0.75),
    max: sorted[sorted.length - 1],
  };
}

export interface HistogramBin {
  from: number;
  to: number;
  count: number;
}

/** `binCount` equal bins from min to max; every value lands in exactly one (max in the last). */
export function histogram(values: readonly number[], binCount: number): HistogramBin[] {
  if (values.length === 0 || binCount < 1) return [];
  let min = Infinity;
  let max = -Infinity;
  for (const v of values) { min = Math.min(min, v); max = Math.max(max, v); }
  const width = max > min ? (max - min) / binCount : 1;
  const bins = Array.from({ length: max > min ? binCount : 1 }, (_, i) => ({ from: min + i * width, to: min + (i + 1) * width, count: 0 }));
  for (const v of values) bins[Math.min(bins.length - 1, Math.floor((v - min) / width))].count++;
  return bins;
}
