// /metrics in Prometheus text format 0.0.4: a pure rendering of the farm view and the attempt
// statistics. Names follow Prometheus' conventions (base units, _total for counters).
import { CHUNK_STATES } from '../spool/layout.js';
import { JOB_STATES } from '../jobs/state.js';
import type { FarmView } from './farm-view.js';

/** Chunk durations' bucket bounds, seconds: a 10 s exec chunk to a 4 h film frame. */
export const DURATION_BUCKETS_S = [1, 5, 10, 30, 60, 120, 300, 600, 1800, 3600, 7200, 14400];
const NODE_STATES = ['running', 'paused', 'draining', 'stopping', 'silent'] as const;

export interface AttemptTotals {
  /** Cumulative counts per bucket bound (same order as DURATION_BUCKETS_S), of done attempts. */
  buckets: number[];
  count: number;
  sumSeconds: number;
  /** Failed attempts per node. */
  failuresByNode: Map<string, number>;
}

export function emptyTotals(): AttemptTotals {
  return { buckets: DURATION_BUCKETS_S.map(() => 0), count: 0, sumSeconds: 0, failuresByNode: new Map() };
}

/** Adds one attempt to the totals (mutates: the stats tail feeds it line by line). */
export function addAttempt(totals: AttemptTotals, attempt: { outcome: string; durationMs: number; node: string }): void {
  if (attempt.outcome === 'failed') totals.failuresByNode.set(attempt.node, (totals.failuresByNode.get(attempt.node) ?? 0) + 1);
  if (attempt.outcome !== 'done') return;
  const seconds = attempt.durationMs / 1000;
  totals.count++;
  totals.sumSeconds += seconds;
  DURATION_BUCKETS_S.forEach((bound, i) => { if (seconds <= bound) totals.buckets[i]++; });
}

export function escapeLabel(value: string): string {
  return value.replace(/\\/g, '\\\\').replace(/"/g, '\\"').replace(/\n/g, '\\n');
}

const labels = (pairs: Record<string, string>) => `{${Object.entries(pairs).map(([k, v]) => `${k}="${escapeLabel(v)}"`).join(',')}}`;

export function formatMetrics(view: FarmView, totals: AttemptTotals): string {
  const out: string[] = [];
  const family = (name: string, type: string, help: string, samples: [string, number][]) => {
    out.push(`# HELP ${name} ${help}`, `# TYPE ${name} ${type}`);
    for (const [suffix, value] of samples) out.push(`${name}${suffix} ${Number.isFinite(value) ? value : 0}`);
  };
  const jobsByState = new Map<string, number>(JOB_STATES.map((s) => [s, 0]));
  const chunksByState = new Map<string, number>(CHUNK_STATES.map((s) => [s, 0]));
  for (const job of view.jobs) {
    jobsByState.set(job.state, (jobsByState.get(job.state) ?? 0) + 1);
    for (const state of CHUNK_STATES) chunksByState.set(state, chunksByState.get(state)! + job.chunks[state]);
  }
  family('renderd_jobs', 'gauge', 'Jobs on the spool by state.', [...jobsByState].map(([s, n]) => [labels({ state: s }), n]));
  family('renderd_chunks', 'gauge', 'Chunks on the spool by state.', [...chunksByState].map(([s, n]) => [labels({ state: s }), n]));
  const nodesByState = new Map<string, number>(NODE_STATES.map((s) => [s, 0]));
  for (const node of view.nodes) nodesByState.set(node.state, (nodesByState.get(node.state) ?? 0) + 1);
  family('renderd_nodes', 'gauge', 'Registered nodes by state (silent: heartbeat stood still).', [...nodesByState].map(([s, n]) => [labels({ state: s }), n]));
  const perNode = (pick: (n: FarmView['nodes'][number]) => number | undefined) =>
    view.nodes.flatMap((n): [string, number][] => { const v = pick(n); return v === undefined ? [] : [[labels({ node: n.name }), v]]; });
  family('renderd_node_slots', 'gauge', 'Chunk slots of each node.', perNode((n) => n.slots));
  family('renderd_node_slots_busy', 'gauge', 'Chunks each node runs now.', perNode((n) => n.running.length));
  family('renderd_node_cpu_ratio', 'gauge', 'CPU use of each node, 0 to 1.', perNode((n) => n.sys && n.sys.cpuPercent / 100));
  family('renderd_node_memory_used_bytes', 'gauge', 'Memory in use on each node.', perNode((n) => n.sys?.mem.used));
  family('renderd_node_memory_total_bytes', 'gauge', 'Memory of each node.', perNode((n) => n.sys?.mem.total));
  family('renderd_node_swap_used_bytes', 'gauge', 'Swap in use on each node.', perNode((n) => n.sys?.swap.used));
  family('renderd_node_swap_total_bytes', 'gauge', 'Swap of each node.', perNode((n) => n.sys?.swap.total));
  family('renderd_chunk_duration_seconds', 'histogram', 'Durations of chunk attempts that ended done (node stats files).', [
    ...DURATION_BUCKETS_S.map((b, i): [string, number] => [`_bucket${labels({ le: String(b) })}`, totals.buckets[i]]),
    [`_bucket${labels({ le: '+Inf' })}`, totals.count], ['_sum', totals.sumSeconds], ['_count', totals.count],
  ]);
  family('renderd_chunk_failures_total', 'counter', 'Chunk attempts that failed, by node (node stats files).',
    [...totals.failuresByNode].sort(([a], [b]) => a.localeCompare(b)).map(([node, n]) => [labels({ node }), n]));
  return out.join('\n') + '\n';
}
