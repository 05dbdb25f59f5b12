import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildJobRows, jobLine, JOB_COLUMNS, progressText, toJobRow } from '../../../src/tui/model/jobs.js';
import { fitColumns, lineText } from '../../../src/tui/model/columns.js';
import { parseFilter } from '../../../src/tui/model/filter.js';
import { nextJobSort, JOB_SORTS } from '../../../src/tui/model/sort.js';
import { ASCII_BARS } from '../../../src/tui/model/text.js';
import { job, NOW_MS } from '../fixtures.js';

const JOBS = [
  job('a0000001', { name: 'old-done', chunks: { done: 10 } }),
  job('a0000002', { name: 'low-queued', priority: 0, chunks: { queued: 10 } }),
  job('a0000003', { name: 'high-queued', priority: 5, chunks: { queued: 10 } }),
  job('a0000004', { name: 'running', priority: 0, chunks: { queued: 5, running: 2, done: 3 } }),
  job('a0000005', { name: 'failed', chunks: { done: 8, failed: 2 } }),
  job('a0000006', { name: 'paused', paused: true, chunks: { queued: 6, done: 4 } }),
];

const order = (sort: Parameters<typeof buildJobRows>[4], filter = '') => buildJobRows(JOBS, new Map(), NOW_MS, parseFilter(filter), sort).map((r) => r.name);

test('farm order: running, waiting by priority, paused, failed, done', () => {
  assert.equal(order('farm'), ['running', 'high-queued', 'low-queued', 'paused', 'failed', 'old-done']);
});
test('newest first', () => assert.equal(order('newest'), ['paused', 'failed', 'running', 'high-queued', 'low-queued', 'old-done']));
test('by name', () => assert.equal(order('name'), ['failed', 'high-queued', 'low-queued', 'old-done', 'paused', 'running']));
test('by progress, most done first', () => assert.equal(order('progress'), ['old-done', 'failed', 'paused', 'running', 'low-queued', 'high-queued']));
test('filter before sort', () => assert.equal(order('farm', 'queued'), ['high-queued', 'low-queued']));
test('the sorts cycle', () => assert.is(JOB_SORTS.reduce((key) => nextJobSort(key), JOB_SORTS[0]), JOB_SORTS[0]));

test('a row carries counts, fraction and the paused flag', () => {
  const row = toJobRow(JOBS[5], undefined, NOW_MS);
  assert.equal({ state: row.state, paused: row.paused, done: row.done, total: row.total, fraction: row.fraction }, { state: 'paused', paused: true, done: 4, total: 10, fraction: 0.4 });
  assert.is(toJobRow(job('e', { chunks: {} }), undefined, NOW_MS).fraction, 1, 'a job without chunks is complete');
});

test('progress cell: bar and percent in the width, percent alone when narrow', () => {
  assert.is(progressText(0.5, 14, ASCII_BARS), '####.....  50%');
  assert.is(progressText(0.5, 5, ASCII_BARS), ' 50%');
});

test('job lines are the width of the pane at 80 and 200 columns, and name what matters', () => {
  for (const width of [78, 98, 198]) {
    const columns = fitColumns(JOB_COLUMNS, width);
    const line = lineText(jobLine(toJobRow(JOBS[3], undefined, NOW_MS), columns, ASCII_BARS, true));
    assert.ok(line.length <= width, `${line.length} <= ${width}`);
    for (const part of ['running', '3/10', '30%']) assert.ok(line.includes(part), `${part} in '${line}'`);
  }
  const narrow = fitColumns(JOB_COLUMNS, 78).map((c) => c.key);
  for (const key of ['name', 'state', 'prio', 'progress', 'chunks', 'eta'] as const) assert.ok(narrow.includes(key), `${key} at 80 columns`);
});

test("a group's jobs one under the other, where its first stands in the order; the rest indented", () => {
  const jobs = [
    job('a1', { name: 'poster.tiles', group: 'poster', state: 'running', chunks: { running: 1, queued: 15 } }),
    job('a2', { name: 'solo', state: 'running', chunks: { running: 1 } }),
    job('a3', { name: 'poster', group: 'poster', chunks: { queued: 1 } }),
  ];
  const rows = buildJobRows(jobs, new Map(), NOW_MS, [], 'farm');
  assert.equal(rows.map((r) => r.id), ['a1', 'a3', 'a2'], 'the merge under its tiles, not after the running solo job');
  const columns = fitColumns(JOB_COLUMNS, 100);
  assert.match(lineText(jobLine(rows[1], columns, ASCII_BARS, false)), /^ {2}poster /);
  assert.match(lineText(jobLine(rows[0], columns, ASCII_BARS, false)), /^poster\.tiles/);
});

test.run();
