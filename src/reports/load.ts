// Gathering a report from the spool: every node's stats file plus the registered nodes (so an idle
// node shows up at 0%). The I/O edge of the pure aggregation.
import type { FarmContext } from '../claim/context.js';
import { readNodeRecords } from '../nodes/registry.js';
import { aggregateStats, type FarmReport } from './aggregate.js';
import { readStats } from './stats-reader.js';

export interface LoadedReport {
  report: FarmReport;
  /** Stat lines skipped as malformed, per stats file. */
  malformed: Record<string, number>;
}

export async function loadFarmReport(ctx: FarmContext, options: { nowMs: number; sinceMs?: number }): Promise<LoadedReport> {
  const [{ stats, malformed }, nodes] = await Promise.all([readStats(ctx.layout, { log: ctx.log }), readNodeRecords(ctx.layout, ctx.log)]);
  const knownNodes = [...nodes.values()].map((n) => ({ node: n.name, host: n.host, slots: n.slots }));
  return { report: aggregateStats(stats, { ...options, knownNodes }), malformed };
}

export function countMalformed(malformed: Record<string, number>): number {
  return Object.values(malformed).reduce((a, b) => a + b, 0);
}
