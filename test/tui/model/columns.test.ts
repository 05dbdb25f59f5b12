import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { fitColumns, headerLine, lineText, rowLine, type Column } from '../../../src/tui/model/columns.js';

const COLUMNS: Column[] = [
  { key: 'name', title: 'NAME', width: 6, flex: 1, max: 20 },
  { key: 'id', title: 'ID', width: 10, drop: 2 },
  { key: 'state', title: 'STATE', width: 7 },
  { key: 'note', title: 'NOTE', width: 8, drop: 1, flex: 1 },
];

const widths = (width: number) => fitColumns(COLUMNS, width).map((c) => `${c.key}:${c.width}`).join(' ');

const cases: [number, string][] = [
  [34, 'name:6 id:10 state:7 note:8'],       // exactly fits: 31 + 3 gaps
  [40, 'name:9 id:10 state:7 note:11'],      // spare shared by the flexible ones
  [30, 'name:10 state:7 note:11'],           // id (the higher drop) goes first; the flexible ones share its room
  [20, 'name:12 state:7'],                   // then note
  [10, 'name:6 state:7'],                    // nothing more can go
  [80, 'name:20 id:10 state:7 note:40'],     // name stops at its max, note takes the rest
];
for (const [width, expected] of cases) {
  test(`fitColumns at ${width}: ${expected}`, () => assert.is(widths(width), expected));
}

test('a row is exactly as wide as its table', () => {
  for (const width of [20, 34, 40, 80]) {
    const columns = fitColumns(COLUMNS, width);
    const used = columns.reduce((sum, c) => sum + c.width, 0) + columns.length - 1;
    const line = rowLine(columns, { name: { text: 'a-very-long-job-name-indeed' }, id: { text: 'x' }, state: { text: 'running', tone: 'busy' }, note: { text: '' } });
    assert.is(lineText(line).length, used);
    assert.is(lineText(headerLine(columns)).length, used);
    assert.is(line.segments.find((s) => s.text.startsWith('running'))?.tone, 'busy');
  }
});

test('right-aligned cells pad on the left', () => {
  const columns = fitColumns([{ key: 'n', title: 'N', width: 5, align: 'right' }], 5);
  assert.is(lineText(rowLine(columns, { n: { text: '42' } })), '   42');
});

test.run();
