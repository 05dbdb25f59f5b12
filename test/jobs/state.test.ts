// deriveJobState / isFinished, and the active/ entry names claimers sort by: table tests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { deriveJobState, isFinished, JOB_STATES, type JobState } from '../../src/jobs/state.js';
import { activeEntryName, compareForClaim, parseActiveEntryName } from '../../src/jobs/active.js';

const counts = (queued: number, running: number, done: number, failed: number) =>
  ({ queued, running, done, failed, total: queued + running + done + failed });

const STATES: [string, ReturnType<typeof counts>, boolean, JobState][] = [
  ['all queued', counts(5, 0, 0, 0), false, 'queued'],
  ['some running', counts(3, 2, 0, 0), false, 'running'],
  ['running beats failed', counts(0, 1, 0, 4), false, 'running'],
  ['queued beats failed (retries pending)', counts(1, 0, 3, 1), false, 'queued'],
  ['all done', counts(0, 0, 5, 0), false, 'done'],
  ['done with one failed', counts(0, 0, 4, 1), false, 'failed'],
  ['all failed', counts(0, 0, 0, 5), false, 'failed'],
  ['paused with work left', counts(2, 0, 3, 0), true, 'paused'],
  ['paused with a chunk still running (being stopped)', counts(0, 1, 0, 0), true, 'paused'],
  ['paused but finished: done', counts(0, 0, 5, 0), true, 'done'],
  ['paused but finished with failures: failed', counts(0, 0, 4, 1), true, 'failed'],
  ['no chunks at all', counts(0, 0, 0, 0), false, 'done'],
];

for (const [name, c, paused, state] of STATES) {
  test(`deriveJobState: ${name} → ${state}`, () => {
    assert.is(deriveJobState(c, paused), state);
  });
}

// issue 24: the four folders are listed one after another; a chunk moving between them is in none
test('deriveJobState: a chunk missing from every listing (moving) keeps the job unfinished', () => {
  assert.is(deriveJobState(counts(0, 0, 4, 0), { paused: false, chunks: 5 }), 'running');
  assert.is(deriveJobState(counts(0, 0, 4, 0), { paused: true, chunks: 5 }), 'paused');
  assert.is(deriveJobState(counts(0, 0, 5, 0), { paused: false, chunks: 5 }), 'done');
  assert.is(deriveJobState(counts(0, 0, 4, 1), { paused: false, chunks: 5 }), 'failed');
});

test('isFinished: only done and failed', () => {
  assert.equal(JOB_STATES.filter(isFinished), ['done', 'failed']);
});

const ENTRIES: [string, number, boolean, string][] = [
  ['mwq0abcd1234', 0, false, 'mwq0abcd1234.p0'],
  ['mwq0abcd1234', 5, true, 'mwq0abcd1234.p5.paused'],
  ['mwq0abcd1234', -3, false, 'mwq0abcd1234.p-3'],
  ['a.p1', 2, false, 'a.p1.p2'],
];

for (const [job, priority, paused, name] of ENTRIES) {
  test(`active entry ${name} round trips`, () => {
    assert.is(activeEntryName(job, priority, paused), name);
    assert.equal(parseActiveEntryName(name), { job, priority, paused, name });
  });
}

for (const junk of ['.wake', 'job', 'job.p', 'job.px', 'job.p1.paused.x', '.p1']) {
  test(`not an active entry: ${junk}`, () => {
    assert.is(parseActiveEntryName(junk), null);
  });
}

test('claim order: higher priority first, then older job first', () => {
  const entries = ['b.p0', 'a.p0', 'c.p5', 'd.p-1', 'e.p5'].map((n) => parseActiveEntryName(n)!);
  assert.equal(entries.sort(compareForClaim).map((e) => e.job), ['c', 'e', 'a', 'b', 'd']);
});

test.run();
