import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { addChunkTimes, estimateJob, EMPTY_TIMING, type JobTiming } from '../../../src/tui/model/timing.js';
import type { JobState } from '../../../src/jobs/state.js';
import { counts, NOW_MS } from '../fixtures.js';

const MIN = 60_000;
const timing = (partial: Partial<JobTiming>): JobTiming => ({ ...EMPTY_TIMING, ...partial });

const cases: { name: string; counts: Parameters<typeof counts>[0]; state: JobState; timing: JobTiming; elapsed?: number; eta?: number }[] = [
  { name: 'never started: nothing to say', counts: { queued: 10 }, state: 'queued', timing: EMPTY_TIMING },
  { name: 'paused: elapsed goes on, no ETA', counts: { queued: 5, done: 5 }, state: 'paused', timing: timing({ doneMs: 50 * MIN, doneCount: 5, firstStartMs: NOW_MS - 60 * MIN }), elapsed: 60 * MIN },
  {
    name: 'one node, mean 10 min: 8 queued + one half done',
    counts: { queued: 8, running: 1, done: 1 }, state: 'running',
    timing: timing({ doneMs: 10 * MIN, doneCount: 1, firstStartMs: NOW_MS - 15 * MIN, runningStartsMs: [NOW_MS - 5 * MIN] }),
    elapsed: 15 * MIN, eta: 8 * 10 * MIN + 5 * MIN,
  },
  {
    name: 'four nodes share the work',
    counts: { queued: 8, running: 4, done: 4 }, state: 'running',
    timing: timing({ doneMs: 40 * MIN, doneCount: 4, firstStartMs: NOW_MS - 20 * MIN, runningStartsMs: [NOW_MS, NOW_MS, NOW_MS, NOW_MS] }),
    elapsed: 20 * MIN, eta: (8 * 10 * MIN + 4 * 10 * MIN) / 4,
  },
  {
    name: 'a chunk running past the mean counts as nearly done, not done',
    counts: { queued: 0, running: 1, done: 3 }, state: 'running',
    timing: timing({ doneMs: 30 * MIN, doneCount: 3, firstStartMs: NOW_MS - 60 * MIN, runningStartsMs: [NOW_MS - 25 * MIN] }),
    elapsed: 60 * MIN, eta: MIN,
  },
  {
    name: 'no durations read yet: the pace so far (2 done in 20 min, 8 to go)',
    counts: { queued: 7, running: 1, done: 2 }, state: 'running',
    timing: timing({ firstStartMs: NOW_MS - 20 * MIN, runningStartsMs: [NOW_MS - MIN] }),
    elapsed: 20 * MIN, eta: 80 * MIN,
  },
  {
    name: 'done: elapsed stops at the last end',
    counts: { done: 10 }, state: 'done',
    timing: timing({ doneMs: 100 * MIN, doneCount: 10, firstStartMs: NOW_MS - 120 * MIN, lastEndMs: NOW_MS - 20 * MIN }),
    elapsed: 100 * MIN,
  },
  {
    name: 'a node clock ahead of ours: elapsed is zero, not negative',
    counts: { queued: 1, running: 1 }, state: 'running',
    timing: timing({ runningStartsMs: [NOW_MS + 10 * MIN] }),
    elapsed: 0,
  },
];

for (const c of cases) {
  test(c.name, () => {
    const estimate = estimateJob(counts(c.counts), c.state, c.timing, NOW_MS);
    assert.is(estimate.elapsedMs, c.elapsed, 'elapsed');
    assert.is(estimate.etaMs, c.eta, 'eta');
  });
}

test('addChunkTimes keeps the earliest start, latest end, and done durations only', () => {
  let t = addChunkTimes(EMPTY_TIMING, 1000, 5000, true);
  t = addChunkTimes(t, 500, 2500, true);
  t = addChunkTimes(t, 200, undefined, false);
  t = addChunkTimes(t, 9000, 8000, true); // ends before it starts: a clock jump, not a duration
  assert.equal({ doneMs: t.doneMs, doneCount: t.doneCount, first: t.firstStartMs, last: t.lastEndMs }, { doneMs: 6000, doneCount: 2, first: 200, last: 8000 });
  assert.is(EMPTY_TIMING.doneCount, 0, 'pure: the input is unchanged');
});

test.run();
