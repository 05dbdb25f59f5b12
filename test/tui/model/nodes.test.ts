import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { barWithLabel, buildNodeRows, loadText, nodeLine, NODE_COLUMNS, NODE_SILENT_MS, toNodeRow } from '../../../src/tui/model/nodes.js';
import { fitColumns, lineText } from '../../../src/tui/model/columns.js';
import { parseFilter } from '../../../src/tui/model/filter.js';
import { ASCII_BARS } from '../../../src/tui/model/text.js';
import { GIB, iso, node, NOW_MS } from '../fixtures.js';

const busy = node('gpu-01', { pool: 'gpu', running: [{ job: 'j1', chunk: '0007', token: 't', attempt: 1, startedAt: iso(NOW_MS) }] });
const bare = node('old-box', { sys: undefined, state: 'draining' });

test('a node row: running chunks by job name, cpu, memory, swap and load', () => {
  const row = toNodeRow(busy, 0, new Map([['j1', 'shot_010']]));
  assert.equal(row.running, ['shot_010:0007']);
  assert.equal([row.state, row.pool, row.slots, row.cpu], ['running', 'gpu', 2, 50]);
  assert.equal(row.swap, { total: 8 * GIB, used: GIB });
});

test('a heartbeat that stood still long enough shows as silent, whatever the node says', () => {
  assert.is(toNodeRow(busy, NODE_SILENT_MS - 1, new Map()).state, 'running');
  assert.is(toNodeRow(busy, NODE_SILENT_MS, new Map()).state, 'silent');
});

test('rows sorted by name and filtered', () => {
  const rows = (filter: string) => buildNodeRows([busy, bare, node('cpu-01')], new Map(), new Map(), parseFilter(filter)).map((r) => r.name);
  assert.equal(rows(''), ['cpu-01', 'gpu-01', 'old-box']);
  assert.equal(rows('pool:gpu'), ['gpu-01']);
  assert.equal(rows('draining'), ['old-box']);
});

test('bars with labels, and load averages to the width', () => {
  assert.is(barWithLabel(0.125, '1G/8G', 14, ASCII_BARS), '#....... 1G/8G');
  assert.is(barWithLabel(0.125, '1G/8G', 7, ASCII_BARS), '1G/8G');
  assert.is(loadText([4.2, 3.1, 2], 14), '4.20 3.10 2.00');
  assert.is(loadText([4.2, 3.1, 2], 5), '4.2');
  assert.is(loadText(undefined, 5), '-');
});

test('node lines at 80 columns keep cpu, memory and swap figures; without sys figures, dashes', () => {
  const columns = fitColumns(NODE_COLUMNS, 78);
  const text = lineText(nodeLine(toNodeRow(busy, 0, new Map()), columns, ASCII_BARS, false));
  assert.ok(text.length <= 78);
  for (const part of ['gpu-01', 'running', '1/2', '50%', '16G/64G', '1.0G/8.0G']) assert.ok(text.includes(part), `${part} in '${text}'`);
  const empty = lineText(nodeLine(toNodeRow(bare, 0, new Map()), columns, ASCII_BARS, false));
  assert.ok(empty.includes('draining') && empty.includes('-'));
});

test.run();
