import { test } from 'uvu';
import * as assert from 'uvu/assert';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { addAttempt, emptyTotals, formatMetrics } from '../../src/web/metrics.js';
import type { FarmView, JobRow, NodeRow } from '../../src/web/farm-view.js';

const job = (id: string, state: JobRow['state'], counts: Partial<JobRow['chunks']>): JobRow => ({
  id, name: `"${id}"\n\\`, owner: 'ann', kind: 'exec', state, priority: 0, paused: false, frames: '1-10', createdAt: '', framesTotal: 10, framesDone: 0,
  chunks: { queued: 0, running: 0, done: 0, failed: 0, total: 0, ...counts },
});
const node = (name: string, state: NodeRow['state'], running: number): NodeRow => ({
  name, host: 'h', state, tags: [], slots: 4, history: [],
  running: Array.from({ length: running }, (_, i) => ({ job: 'a', chunk: String(i), attempt: 1, startedAt: '' })),
  sys: { cpus: 8, cpuPercent: 50, load: [1, 1, 1], mem: { total: 1000, used: 250, available: 750 }, swap: { total: 100, used: 10 } },
});
const view: FarmView = { at: '', jobs: [job('a', 'running', { queued: 3, running: 2, done: 5 }), job('b', 'done', { done: 4 })], nodes: [node('n1', 'running', 2), node('n2"x', 'silent', 0)] };

test('metrics parse with a real Prometheus parser, and count what the farm holds', () => {
  const totals = emptyTotals();
  addAttempt(totals, { outcome: 'done', durationMs: 4000, node: 'n1' });
  addAttempt(totals, { outcome: 'done', durationMs: 90_000, node: 'n1' });
  addAttempt(totals, { outcome: 'failed', durationMs: 1000, node: 'n2"x' });
  const families = parsePrometheusTextFormat(formatMetrics(view, totals)) as { name: string; type: string; metrics: { labels?: Record<string, string>; value?: string; buckets?: Record<string, string>; count?: string; sum?: string }[] }[];
  const family = (name: string) => families.find((f) => f.name === name)!;
  const value = (name: string, label: string, is: string) => Number(family(name).metrics.find((m) => m.labels?.[label] === is)?.value);
  assert.is(value('renderd_jobs', 'state', 'running'), 1);
  assert.is(value('renderd_jobs', 'state', 'done'), 1);
  assert.is(value('renderd_chunks', 'state', 'done'), 9);
  assert.is(value('renderd_chunks', 'state', 'running'), 2);
  assert.is(value('renderd_nodes', 'state', 'silent'), 1);
  assert.is(value('renderd_node_slots_busy', 'node', 'n1'), 2);
  assert.is(value('renderd_node_cpu_ratio', 'node', 'n1'), 0.5);
  assert.is(value('renderd_node_memory_used_bytes', 'node', 'n2"x'), 250);
  assert.is(value('renderd_chunk_failures_total', 'node', 'n2"x'), 1);
  const histogram = family('renderd_chunk_duration_seconds');
  assert.is(histogram.type, 'HISTOGRAM');
  assert.is(histogram.metrics[0].count, '2');
  assert.is(Number(histogram.metrics[0].sum), 94);
  assert.is(histogram.metrics[0].buckets!['5'], '1');
  assert.is(histogram.metrics[0].buckets!['120'], '2');
});

test('an empty farm still gives every family, with zeros', () => {
  const text = formatMetrics({ at: '', jobs: [], nodes: [] }, emptyTotals());
  const families = parsePrometheusTextFormat(text) as { name: string }[];
  for (const name of ['renderd_jobs', 'renderd_chunks', 'renderd_nodes', 'renderd_chunk_duration_seconds']) assert.ok(families.some((f) => f.name === name), name);
});

test.run();
