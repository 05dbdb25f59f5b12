// Aggregating stat lines: table tests for the window, per-job, per-node and throughput figures.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { aggregateStats, blockBar, boxSummary, histogram, quantile, sparkline } from '../../src/reports/index.js';
import { chooseBucketMs, reportWindow } from '../../src/reports/window.js';
import { stat, T0 } from './fixtures.js';

const S = 1000;

test('window without --since: first start to last end; with --since: the last DURATION to now', () => {
  const stats = [stat({ endS: 60, durS: 20 }), stat({ endS: 100, durS: 10 })];
  const all = reportWindow(stats, T0 + 3600 * S)!;
  assert.is(all.startMs, T0 + 40 * S);
  assert.is(all.endMs, T0 + 100 * S);
  assert.is(all.bucketMs, 5 * S, '60 s in ≤ 48 buckets: 5 s each');
  assert.is(all.buckets[0], T0 + 40 * S);
  assert.is(all.buckets.length, 12);
  const since = reportWindow(stats, T0 + 3600 * S, 3600 * S)!;
  assert.is(since.startMs, T0);
  assert.is(since.endMs, T0 + 3600 * S);
  assert.is(reportWindow([], T0), null);
});

const BUCKETS: [number, number][] = [
  [10 * S, S], [47 * S, S], [60 * S, 5 * S], [3600 * S, 300 * S], [24 * 3600 * S, 3600 * S], [7 * 24 * 3600 * S, 6 * 3600 * S], [400 * 24 * 3600 * S, 168 * 3600 * S],
];
for (const [span, bucket] of BUCKETS) {
  test(`chooseBucketMs(${span / S} s) = ${bucket / S} s`, () => {
    assert.is(chooseBucketMs(span), bucket);
  });
}

test('per job: frames, chunks, failures, render time, average and slowest frame, peak memory', () => {
  const report = aggregateStats([
    stat({ chunk: '0001', endS: 20, durS: 20, peakMemMB: 500 }),
    stat({ chunk: '0002', endS: 40, durS: 40, node: 'n2', peakMemMB: 900 }),
    stat({ chunk: '0003', endS: 30, durS: 10, outcome: 'failed', error: 'boom', framesDone: 0 }),
    stat({ chunk: '0003', endS: 50, durS: 8, attempt: 2, frames: 2, frameSpec: '9-10' }),
    stat({ job: 'j2', jobName: 'other', chunk: '0001', endS: 45, durS: 5, outcome: 'stopped' }),
  ], { nowMs: T0 + 100 * S });
  const [j1, j2] = report.jobs;
  assert.is(j1.job, 'j1');
  assert.is(j1.frames, 10);
  assert.is(j1.chunksDone, 3);
  assert.is(j1.attempts, 4);
  assert.is(j1.failures, 1);
  assert.is(j1.renderMs, 78 * S);
  assert.is(j1.avgFrameMs, (68 * S) / 10);
  assert.is(j1.slowestFrameMs, 10 * S, '40 s for 4 frames');
  assert.is(j1.peakMemMB, 900);
  assert.equal(j1.frameTimesMs, [4 * S, 5 * S, 10 * S]);
  assert.equal(j1.nodes, ['n1', 'n2']);
  assert.is(j1.spanMs, 50 * S);
  assert.is(j2.frames, 0);
  assert.is(j2.stopped, 1);
  assert.is(j2.avgFrameMs, null);
  assert.is(j2.peakMemMB, null);
  assert.equal(report.totals, { attempts: 5, chunksDone: 3, frames: 10, failures: 1, busyMs: 83 * S });
});

test('per node: busy time, chunks, failures, utilisation = busy / (slots × window)', () => {
  const report = aggregateStats([
    stat({ node: 'n1', slots: 2, chunk: '0001', endS: 100, durS: 100 }),
    stat({ node: 'n1', slots: 2, chunk: '0002', endS: 50, durS: 50 }),
    stat({ node: 'n2', slots: 1, chunk: '0003', endS: 100, durS: 25, outcome: 'failed' }),
  ], { nowMs: T0 + 100 * S, sinceMs: 100 * S, bucketMs: 50 * S, knownNodes: [{ node: 'idle', slots: 4, host: 'box9' }, { node: 'n2', slots: 8 }] });
  const [idle, n1, n2] = report.nodes;
  assert.equal(idle, { node: 'idle', host: 'box9', slots: 4, attempts: 0, chunksDone: 0, frames: 0, failures: 0, busyMs: 0, utilisation: 0, timeline: [0, 0] });
  assert.is(n1.busyMs, 150 * S);
  assert.is(n1.utilisation, 0.75);
  assert.equal(n1.timeline, [1, 0.5]);
  assert.is(n1.chunksDone, 2);
  assert.is(n1.frames, 8);
  assert.is(n2.slots, 1, 'the slots the node ran with, from its stat lines');
  assert.is(n2.failures, 1);
  assert.is(n2.utilisation, 0.25);
  assert.equal(n2.timeline, [0, 0.5]);
});

test('--since clips an attempt that began before the window to the part inside it', () => {
  const report = aggregateStats([stat({ endS: 100, durS: 80 }), stat({ chunk: '0002', endS: 10, durS: 10 })], { nowMs: T0 + 100 * S, sinceMs: 40 * S });
  assert.is(report.nodes[0].busyMs, 40 * S);
  assert.is(report.nodes[0].utilisation, 1);
  assert.is(report.jobs[0].attempts, 1, 'the attempt that ended before the window is left out');
});

test('throughput: frames of done attempts per bucket, as frames per hour; failures counted apart', () => {
  const report = aggregateStats([
    stat({ endS: 10, durS: 5 }), stat({ endS: 12, durS: 5, frames: 6 }), stat({ endS: 25, durS: 5, outcome: 'failed' }), stat({ endS: 29, durS: 3 }),
  ], { nowMs: T0 + 30 * S, sinceMs: 30 * S, bucketMs: 10 * S });
  assert.equal(report.throughput.map((b) => [b.frames, b.failures, b.framesPerHour]), [[0, 0, 0], [10, 0, 3600], [4, 1, 1440]]);
  assert.is(report.throughput[1].start, new Date(T0 + 10 * S).toISOString());
});

test('throughput: the attempt ending exactly at the window end lands in the last bucket', () => {
  const report = aggregateStats([stat({ endS: 10, durS: 10 }), stat({ endS: 20, durS: 10 })], { nowMs: 0, bucketMs: 5 * S });
  assert.is(report.throughput.reduce((sum, b) => sum + b.frames, 0), 8);
});

test('no stats: an empty report, registered nodes still listed', () => {
  const report = aggregateStats([], { nowMs: T0, knownNodes: [{ node: 'n1', slots: 2 }] });
  assert.is(report.window, null);
  assert.equal(report.jobs, []);
  assert.is(report.nodes[0].node, 'n1');
  assert.is(report.nodes[0].utilisation, 0);
});

test('quantile, boxSummary and histogram', () => {
  assert.is(quantile([1, 2, 3, 4], 0.5), 2.5);
  assert.is(quantile([5], 0.25), 5);
  assert.equal(boxSummary([4, 1, 3, 2, 5]), { count: 5, min: 1, q1: 2, median: 3, q3: 4, max: 5 });
  assert.is(boxSummary([]), null);
  assert.equal(histogram([0, 1, 2, 3, 10], 2).map((b) => b.count), [4, 1]);
  assert.equal(histogram([7, 7, 7], 5).map((b) => b.count), [3]);
});

const SPARKS: [number[], string][] = [
  [[0, 1, 2, 3, 4, 5, 6, 7, 8], '▁▁▂▃▄▅▆▇█'],
  [[0, 0, 0], '▁▁▁'],
  [[5], '█'],
  [[1, 100], '▁█'],
];
for (const [values, line] of SPARKS) {
  test(`sparkline(${values.join(',')})`, () => { assert.is(sparkline(values), line); });
}

test('blockBar: eighths of a cell, padded to the width', () => {
  assert.is(blockBar(0, 4), '░░░░');
  assert.is(blockBar(1, 4), '████');
  assert.is(blockBar(0.5, 4), '██░░');
  assert.is(blockBar(0.5625, 4), '██▎░');
  assert.is(blockBar(2, 3), '███');
  assert.is(blockBar(NaN, 2), '░░');
});

test.run();
