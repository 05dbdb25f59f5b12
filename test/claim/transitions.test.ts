// claimed / attemptEnded / retried: pure transitions of a chunk record, table tests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { attemptEnded, claimed, retried, HISTORY_LIMIT, type AttemptEnd } from '../../src/claim/transitions.js';
import type { ChunkRecord, Holder } from '../../src/spool/records.js';

const HOLDER: Holder = { node: 'n1', instance: 'i-1', host: 'h1', bootId: 'b', pidns: 'ns', pid: 42 };
const T1 = '2030-01-01T00:00:00.000Z';
const T2 = '2030-01-01T00:01:00.000Z';

function queued(over: Partial<ChunkRecord> = {}): ChunkRecord {
  return { v: 1, job: 'job1', id: '0001', frames: [1, 2], state: 'queued', rev: 3, attempt: 0, failures: 0, history: [], ...over };
}

test('claimed: running under the holder and a fresh token, attempt and rev up by one', () => {
  const before = queued({ attempt: 2, endedAt: 'old', progress: { frame: 9 } });
  const after = claimed(before, HOLDER, 'tok', T1);
  assert.is(after.state, 'running');
  assert.is(after.attempt, 3);
  assert.is(after.rev, 4);
  assert.is(after.token, 'tok');
  assert.equal(after.holder, HOLDER);
  assert.is(after.startedAt, T1);
  assert.is(after.endedAt, undefined);
  assert.is(after.progress, undefined);
  assert.is(after.failures, 0);
  assert.is(before.state, 'queued', 'input not mutated');
});

const running = () => claimed(queued(), HOLDER, 'tok', T1);

interface EndCase {
  name: string;
  from: ChunkRecord;
  end: AttemptEnd;
  retries: number;
  state: ChunkRecord['state'];
  failures: number;
  error: string | undefined;
}

const CASES: EndCase[] = [
  { name: 'done', from: running(), end: { outcome: 'done' }, retries: 0, state: 'done', failures: 0, error: undefined },
  { name: 'failed with retries left → queued', from: running(), end: { outcome: 'failed', error: 'boom' }, retries: 1, state: 'queued', failures: 1, error: 'boom' },
  { name: 'failed with no retries → failed', from: running(), end: { outcome: 'failed', error: 'boom' }, retries: 0, state: 'failed', failures: 1, error: 'boom' },
  { name: 'failed using the last retry → failed', from: { ...running(), failures: 2 }, end: { outcome: 'failed', error: 'x' }, retries: 2, state: 'failed', failures: 3, error: 'x' },
  { name: 'failed with one retry left after earlier failure → queued', from: { ...running(), failures: 1 }, end: { outcome: 'failed', error: 'x' }, retries: 2, state: 'queued', failures: 2, error: 'x' },
  { name: 'stopped → queued, no retry used', from: running(), end: { outcome: 'stopped', error: 'job paused' }, retries: 0, state: 'queued', failures: 0, error: 'job paused' },
  { name: 'stopped without a reason keeps the old error', from: { ...running(), error: 'earlier' }, end: { outcome: 'stopped' }, retries: 0, state: 'queued', failures: 0, error: 'earlier' },
  { name: 'lost → queued, no retry used', from: running(), end: { outcome: 'lost', error: 'node gone' }, retries: 0, state: 'queued', failures: 0, error: 'node gone' },
  { name: 'done clears an earlier error', from: { ...running(), error: 'earlier' }, end: { outcome: 'done' }, retries: 0, state: 'done', failures: 0, error: undefined },
];

for (const c of CASES) {
  test(`attemptEnded: ${c.name}`, () => {
    const after = attemptEnded(c.from, c.end, c.retries, T2);
    assert.is(after.state, c.state);
    assert.is(after.failures, c.failures);
    assert.is(after.error, c.error);
    assert.is(after.rev, c.from.rev + 1);
    assert.is(after.attempt, c.from.attempt, 'the attempt number moves only on claim');
    assert.is(after.token, undefined, 'the token is gone: a late result is fenced');
    assert.is(after.holder, undefined);
    assert.is(after.endedAt, c.state === 'queued' ? undefined : T2);
    const entry = after.history[after.history.length - 1];
    assert.equal(entry, { attempt: c.from.attempt, node: 'n1', outcome: c.end.outcome, startedAt: T1, endedAt: T2, error: 'error' in c.end ? c.end.error : undefined, peakMemMB: undefined });
    assert.is(after.history.length, c.from.history.length + 1);
  });
}

test('attemptEnded keeps progress given with the end, else the last saved one', () => {
  const from = { ...running(), progress: { frame: 3, peakMemMB: 10 } };
  assert.equal(attemptEnded(from, { outcome: 'done', progress: { frame: 4, peakMemMB: 20 } }, 0, T2).progress, { frame: 4, peakMemMB: 20 });
  assert.is(attemptEnded(from, { outcome: 'done', progress: { frame: 4, peakMemMB: 20 } }, 0, T2).history[0].peakMemMB, 20);
  assert.equal(attemptEnded(from, { outcome: 'lost', error: 'x' }, 0, T2).progress, { frame: 3, peakMemMB: 10 });
  assert.is(attemptEnded(from, { outcome: 'lost', error: 'x' }, 0, T2).history[0].peakMemMB, 10);
});

test('attemptEnded of a record without a holder names node ?', () => {
  const from = { ...running(), holder: undefined };
  assert.is(attemptEnded(from, { outcome: 'lost', error: 'x' }, 0, T2).history[0].node, '?');
});

test(`history keeps the last ${HISTORY_LIMIT} attempts`, () => {
  let record = queued();
  for (let i = 0; i < HISTORY_LIMIT + 7; i++) {
    record = attemptEnded(claimed(record, HOLDER, `t${i}`, T1), { outcome: 'lost', error: `lost ${i}` }, 0, T2);
  }
  assert.is(record.history.length, HISTORY_LIMIT);
  assert.is(record.history[0].attempt, 8);
  assert.is(record.history[HISTORY_LIMIT - 1].attempt, HISTORY_LIMIT + 7);
  assert.is(record.attempt, HISTORY_LIMIT + 7);
});

test('a full life: fail, retry, done — attempts 1 and 2 in history', () => {
  let r = claimed(queued({ rev: 0 }), HOLDER, 'a', T1);
  r = attemptEnded(r, { outcome: 'failed', error: 'exit 1' }, 1, T2);
  assert.is(r.state, 'queued');
  r = claimed(r, { ...HOLDER, node: 'n2' }, 'b', T1);
  assert.is(r.attempt, 2);
  r = attemptEnded(r, { outcome: 'done' }, 1, T2);
  assert.is(r.state, 'done');
  assert.equal(r.history.map((h) => [h.attempt, h.node, h.outcome]), [[1, 'n1', 'failed'], [2, 'n2', 'done']]);
  assert.is(r.rev, 4);
});

test('retried: a failed chunk is queued with a fresh set of attempts, history kept', () => {
  const failed = attemptEnded(running(), { outcome: 'failed', error: 'boom' }, 0, T2);
  const again = retried(failed);
  assert.is(again.state, 'queued');
  assert.is(again.failures, 0);
  assert.is(again.error, undefined);
  assert.is(again.endedAt, undefined);
  assert.is(again.rev, failed.rev + 1);
  assert.is(again.attempt, failed.attempt, 'the next claim is attempt 2');
  assert.equal(again.history, failed.history);
});

test.run();
