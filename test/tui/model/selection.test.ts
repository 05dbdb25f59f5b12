import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { EMPTY_SELECTION, moveSelection, reconcileSelection, scrollSelection, selectVisibleRow, type Selection } from '../../../src/tui/model/selection.js';

const ids = (n: number) => Array.from({ length: n }, (_, i) => `r${i}`);
const sel = (index: number, offset = 0, id = `r${index}`): Selection => ({ id, index, offset });

const moves: [string, Selection, number, number, number, Selection][] = [
  ['down one', sel(0), 1, 10, 5, sel(1)],
  ['up at the top stays', sel(0), -1, 10, 5, sel(0)],
  ['down past the window scrolls it', sel(4), 1, 10, 5, sel(5, 1)],
  ['page down', sel(0), 5, 10, 5, sel(5, 1)],
  ['end', sel(0), Infinity, 10, 5, sel(9, 5)],
  ['home', sel(9, 5), -Infinity, 10, 5, sel(0)],
  ['down at the bottom stays', sel(9, 5), 1, 10, 5, sel(9, 5)],
  ['in an empty table nothing is selected', EMPTY_SELECTION, 1, 0, 5, { index: 0, offset: 0 }],
];
for (const [name, from, delta, count, visible, expected] of moves) {
  test(`move: ${name}`, () => assert.equal(moveSelection(from, delta, ids(count), visible), expected));
}

test('reconcile follows the selected id when rows move, keeping its place on screen', () => {
  const rows = ['x', 'r0', 'r1', 'r2', 'r3'];
  assert.equal(reconcileSelection(sel(2, 1), rows, 3), { id: 'r2', index: 3, offset: 2 });
});

test('reconcile: a vanished id leaves the selection on the row now at its index', () => {
  assert.equal(reconcileSelection(sel(2), ['r0', 'r1', 'r3', 'r4'], 5), { id: 'r3', index: 2, offset: 0 });
  assert.equal(reconcileSelection(sel(4), ['r0', 'r1'], 5), { id: 'r1', index: 1, offset: 0 }, 'clamped to the last row');
});

test('reconcile: a taller pane pulls the window back so no blank rows show below the end', () => {
  assert.equal(reconcileSelection(sel(9, 7), ids(10), 5), { id: 'r9', index: 9, offset: 5 });
});

test('a click selects the row under it; below the last row does nothing', () => {
  assert.equal(selectVisibleRow(sel(0, 3, 'r3'), 2, ids(10), 5), { id: 'r5', index: 5, offset: 3 });
  assert.equal(selectVisibleRow(sel(1), 7, ids(3), 5), sel(1));
});

test('the wheel scrolls the window and carries the selection', () => {
  assert.equal(scrollSelection(sel(2), 3, ids(20), 5), { id: 'r5', index: 5, offset: 3 });
  assert.equal(scrollSelection(sel(2), -3, ids(20), 5), sel(2), 'already at the top');
  assert.equal(scrollSelection(sel(17, 15), 3, ids(20), 5), sel(17, 15), 'already at the bottom');
});

test.run();
