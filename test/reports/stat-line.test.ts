// The stats line: built from a recorded attempt, kept under 4 KiB, parsed back; bad lines are null.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { attemptStatOf, formatStatLine, MAX_STAT_LINE_BYTES, parseStatLine, parseStatsText } from '../../src/reports/index.js';
import type { ChunkRecord, JobRecord } from '../../src/spool/records.js';
import { stat } from './fixtures.js';

const JOB = { v: 1, id: '20240501-100000-abcd', name: 'shot 10', owner: 'ana', kind: 'exec', createdAt: '2024-05-01T09:59:00.000Z', host: 'ws', cwd: '/p',
  frames: '1-40', chunkSize: 4, chunks: 10, priority: 50, after: [], retries: 2, noOverwrite: false, paused: false } as JobRecord;

function chunk(overrides: Partial<ChunkRecord> = {}): ChunkRecord {
  return { v: 1, job: JOB.id, id: '0003', frames: [9, 10, 11, 12], state: 'done', rev: 4, attempt: 2, failures: 1,
    startedAt: '2024-05-01T10:00:05.000Z', endedAt: '2024-05-01T10:00:09.000Z',
    history: [
      { attempt: 1, node: 'n2', outcome: 'failed', startedAt: '2024-05-01T10:00:00.000Z', endedAt: '2024-05-01T10:00:02.000Z', error: 'render-command: exit code 1' },
      { attempt: 2, node: 'n1', outcome: 'done', startedAt: '2024-05-01T10:00:05.000Z', endedAt: '2024-05-01T10:00:09.000Z', peakMemMB: 812.5 },
    ], ...overrides };
}

const WHO = { node: 'n1', host: 'box1', slots: 2 };

test('attemptStatOf: a done attempt takes times, memory and frames from its history entry', () => {
  const s = attemptStatOf({ job: JOB, record: chunk(), outcome: 'done', durationMs: 4012.6 }, WHO, '2024-05-01T11:00:00.000Z');
  assert.equal(s, {
    v: 1, job: JOB.id, jobName: 'shot 10', owner: 'ana', chunk: '0003', frames: 4, frameSpec: '9-12', attempt: 2,
    node: 'n1', host: 'box1', slots: 2, start: '2024-05-01T10:00:05.000Z', end: '2024-05-01T10:00:09.000Z',
    durationMs: 4013, outcome: 'done', error: undefined, peakMemMB: 812.5, framesDone: 4,
  });
});

test('attemptStatOf: a failed attempt that will be retried (no endedAt on the chunk) keeps its error', () => {
  const record = chunk({ state: 'queued', attempt: 1, endedAt: undefined, history: [chunk().history[0]], progress: { framesDone: 1 } });
  const s = attemptStatOf({ job: JOB, record, outcome: 'failed', durationMs: 2000 }, WHO, 'now');
  assert.is(s.end, '2024-05-01T10:00:02.000Z');
  assert.is(s.error, 'render-command: exit code 1');
  assert.is(s.framesDone, 1);
  assert.is(s.outcome, 'failed');
});

test('attemptStatOf: a failed exec attempt without progress did no frames; a listed chunk keeps its spec', () => {
  const record = chunk({ frames: [1, 5, 10], history: [{ attempt: 2, node: 'n1', outcome: 'failed', error: 'x' }] });
  const s = attemptStatOf({ job: JOB, record, outcome: 'failed', durationMs: 1 }, WHO, '2024-05-01T11:00:00.000Z');
  assert.is(s.framesDone, 0);
  assert.is(s.frameSpec, '1,5,10');
  assert.is(s.start, '2024-05-01T10:00:05.000Z', 'falls back to the chunk\'s own times');
});

test('formatStatLine: one line, parsed back to the same stat', () => {
  const line = formatStatLine(stat());
  assert.ok(line.endsWith('\n'));
  assert.is(line.indexOf('\n'), line.length - 1);
  assert.equal(parseStatLine(line.trim()), stat());
});

test('formatStatLine: long names, errors and frame lists are shortened to stay under 4 KiB', () => {
  const huge = stat({ jobName: 'n'.repeat(256), error: '\u0001'.repeat(2000), frameSpec: '1,3,'.repeat(500) + '7', owner: 'o'.repeat(128), host: 'h'.repeat(256) });
  const line = formatStatLine(huge);
  assert.ok(Buffer.byteLength(line) < MAX_STAT_LINE_BYTES, `${Buffer.byteLength(line)} bytes`);
  const back = parseStatLine(line)!;
  assert.ok(back, 'still a valid line');
  assert.is(back.chunk, '0001');
  assert.ok(back.error!.endsWith('…'));
});

const BAD: [string, string][] = [
  ['not JSON', '{"v":1,"job":'],
  ['an array', '[1,2]'],
  ['another version', JSON.stringify({ ...stat(), v: 2 })],
  ['a missing field', JSON.stringify({ ...stat(), durationMs: undefined })],
  ['a wrong type', JSON.stringify({ ...stat(), frames: '4' })],
  ['an unknown outcome', JSON.stringify({ ...stat(), outcome: 'exploded' })],
  ['a date that is not one', JSON.stringify({ ...stat(), end: 'yesterday' })],
];

for (const [what, line] of BAD) {
  test(`parseStatLine: ${what} → null`, () => {
    assert.is(parseStatLine(line), null);
  });
}

test('parseStatsText: skips and counts malformed lines and a line cut short, ignores blank ones', () => {
  const good = formatStatLine(stat());
  const text = `${good}garbage\n\n${good}${good.slice(0, 40)}`;
  const [stats, bad] = parseStatsText(text);
  assert.is(stats.length, 2);
  assert.is(bad, 2);
});

test.run();
