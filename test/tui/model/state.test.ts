import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cyclePane, cycleSort, focusPane, INITIAL_STATE, scrollLog, setFilter, setSelection } from '../../../src/tui/model/state.js';

test('tab cycles jobs, chunks, nodes, log; a detail pane becomes the one under the jobs', () => {
  const seen: string[] = [];
  let state = INITIAL_STATE;
  for (let i = 0; i < 5; i++) {
    state = cyclePane(state, 1);
    seen.push(`${state.focus}/${state.detail}`);
  }
  assert.equal(seen, ['chunks/chunks', 'nodes/nodes', 'log/log', 'jobs/log', 'chunks/chunks']);
  assert.is(cyclePane(INITIAL_STATE, -1).focus, 'log');
});

test('focusing the jobs keeps the detail pane', () => {
  assert.is(focusPane(focusPane(INITIAL_STATE, 'log'), 'jobs').detail, 'log');
});

test('another job: its chunks from the top and the log from its tail', () => {
  let state = setSelection(INITIAL_STATE, 'jobs', { id: 'a', index: 0, offset: 0 });
  state = setSelection(state, 'chunks', { id: '0005', index: 4, offset: 2 });
  state = scrollLog(state, 10, 100);
  const same = setSelection(state, 'jobs', { id: 'a', index: 0, offset: 0 });
  assert.is(same.selections.chunks.id, '0005');
  assert.is(same.logScroll, 10);
  const other = setSelection(state, 'jobs', { id: 'b', index: 1, offset: 0 });
  assert.equal(other.selections.chunks, { index: 0, offset: 0 });
  assert.is(other.logScroll, 0);
});

test('filters per pane, trimmed; the log filter starts the log at its tail', () => {
  const state = setFilter(scrollLog(INITIAL_STATE, 5, 10), 'log', '  error ');
  assert.is(state.filters.log, 'error');
  assert.is(state.filters.jobs, '');
  assert.is(state.logScroll, 0);
});

test('log scroll is clamped', () => {
  assert.is(scrollLog(INITIAL_STATE, 50, 7).logScroll, 7);
  assert.is(scrollLog(INITIAL_STATE, -5, 7).logScroll, 0);
});

test('sort cycles', () => assert.is(cycleSort(INITIAL_STATE).jobSort, 'newest'));

test.run();
