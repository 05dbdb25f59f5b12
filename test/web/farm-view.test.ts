import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { diffFarmViews, isEmptyChange, type FarmView, type JobRow } from '../../src/web/farm-view.js';
import { observeNodes, HISTORY_SAMPLES } from '../../src/web/node-history.js';
import { applyChanges, applySnapshot } from '../../src/web/page/store.js';
import { filterJobRows, globToRegExp as pageGlob, sortJobRows } from '../../src/web/page/filter.js';
import { globToRegExp } from '../../src/reports/job-filter.js';
import type { NodeRecord } from '../../src/spool/records.js';

const job = (id: string, done: number, extra: Partial<JobRow> = {}): JobRow => ({
  id, name: id, owner: 'ann', kind: 'exec', state: 'running', priority: 0, paused: false, frames: '1-10', createdAt: `2026-01-0${id.length}T00:00:00Z`,
  framesTotal: 10, framesDone: done, chunks: { queued: 10 - done, running: 0, done, failed: 0, total: 10 }, ...extra,
});
const view = (jobs: JobRow[]): FarmView => ({ at: '', jobs, nodes: [] });

test('a change carries the jobs that moved and the ones that went; the clock alone moves nothing', () => {
  const before = view([job('a', 1, { etaMs: 100 }), job('b', 2)]);
  const after = view([job('a', 1, { etaMs: 50 }), job('c', 0)]);
  const changes = diffFarmViews(before, after);
  assert.equal(changes.jobs.map((j) => j.id), ['c']);
  assert.equal(changes.removedJobs, ['b']);
  assert.ok(isEmptyChange(diffFarmViews(after, view([job('a', 1, { etaMs: 10 }), job('c', 0)]))));
  // the page, patched by the change, holds what the server holds
  const patched = applyChanges(applySnapshot(before), changes);
  assert.equal([...patched.jobs.keys()].sort(), ['a', 'c']);
});

test('a node\'s history grows by one sample per heartbeat, up to its length', () => {
  const record = (beat: number) => ({ name: 'n1', updatedAt: `t${beat}`, sys: { cpus: 1, cpuPercent: beat, load: [0, 0, 0], mem: { total: 4, used: 1, available: 3 }, swap: { total: 0, used: 0 } } }) as unknown as NodeRecord;
  let histories = observeNodes(new Map(), [record(1)]);
  histories = observeNodes(histories, [record(1)]);
  assert.is(histories.get('n1')!.length, 1);
  assert.is(histories.get('n1')![0].mem, 0.25);
  for (let beat = 2; beat < 100; beat++) histories = observeNodes(histories, [record(beat)]);
  assert.is(histories.get('n1')!.length, HISTORY_SAMPLES);
  assert.is(observeNodes(histories, []).size, 0);
});

test('the page\'s glob is render list\'s glob', () => {
  const names = ['shot_010', 'shot_02', 'Shot_010', 'a.b', 'a*b', 'x[1]', 'sh\not'];
  for (const glob of ['shot_*', 'shot_0?0', '*', 'a.b', '[sS]hot*', '[!s]*', 'a\\*b', 'x[1]', '*o*']) {
    for (const name of names) assert.is(pageGlob(glob).test(name), globToRegExp(glob).test(name), `${glob} on ${name}`);
  }
});

test('filters as render list: state, exact owner, name glob or plain search; sorting is stable', () => {
  const rows = [job('a', 1, { owner: 'bob', name: 'shot_010' }), job('bb', 5, { state: 'done', name: 'shot_020' }), job('ccc', 3, { name: 'comp' })];
  assert.equal(filterJobRows(rows, { states: ['done'], owner: '', name: '' }).map((j) => j.id), ['bb']);
  assert.equal(filterJobRows(rows, { states: [], owner: 'bob', name: '' }).map((j) => j.id), ['a']);
  assert.equal(filterJobRows(rows, { states: [], owner: '', name: 'shot_*' }).map((j) => j.id), ['a', 'bb']);
  assert.equal(filterJobRows(rows, { states: [], owner: '', name: 'om' }).map((j) => j.id), ['ccc']);
  assert.equal(sortJobRows(rows, { key: 'progress', descending: true }).map((j) => j.id), ['bb', 'ccc', 'a']);
  assert.equal(sortJobRows(rows, undefined).map((j) => j.id), ['ccc', 'bb', 'a']);
});

test.run();
