// Which jobs ran on a node, for `render list --node`.
//
// From the node's stats file plus its registration, not from chunk histories: histories would mean
// reading every chunk file of every job (100,000 files on a big spool, invariant 6), while this is
// one append-only file and one small record. What it misses: attempts from before stats were kept,
// and attempts another node recorded as `lost` after this one died (the dead node wrote no line).
import type { FarmContext } from '../claim/context.js';
import { readNodeRecords } from '../nodes/registry.js';
import { readStats } from './stats-reader.js';

export async function jobsSeenOnNode(ctx: FarmContext, node: string): Promise<Set<string>> {
  const [{ stats }, nodes] = await Promise.all([readStats(ctx.layout, { nodes: [node], log: ctx.log }), readNodeRecords(ctx.layout, ctx.log)]);
  const jobs = new Set(stats.map((s) => s.job));
  for (const running of nodes.get(node)?.running ?? []) jobs.add(running.job);
  return jobs;
}
