import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildChunkRows, chunkLine, CHUNK_COLUMNS, samplesText, toChunkRow } from '../../../src/tui/model/chunks.js';
import { fitColumns, lineText } from '../../../src/tui/model/columns.js';
import { parseFilter } from '../../../src/tui/model/filter.js';
import { ASCII_BARS } from '../../../src/tui/model/text.js';
import { chunk, iso, NOW_MS } from '../fixtures.js';

const running = chunk('0003', {
  state: 'running', frames: [11, 12, 13, 14, 15], attempt: 2, node: 'gpu-01', startedAt: iso(NOW_MS - 95_000),
  progress: { frame: 13, framesDone: 2, sample: { done: 64, total: 128 }, peakMemMB: 2048 },
});
const done = chunk('0001', { state: 'done', attempt: 1, node: 'gpu-02', startedAt: iso(NOW_MS - 600_000), endedAt: iso(NOW_MS - 300_000), progress: { peakMemMB: 512 } });
const failed = chunk('0002', { state: 'failed', attempt: 3, node: 'cpu-07', startedAt: iso(NOW_MS - 100_000), endedAt: iso(NOW_MS - 99_000), error: 'render-blender exited 1' });
const queued = chunk('0004', { frames: [1, 3, 5] });

test('a running chunk shows its current frame, samples, peak memory and run time', () => {
  assert.equal(toChunkRow(running, NOW_MS), {
    id: '0003', frames: '11-15', state: 'running', node: 'gpu-01', attempt: 2, frame: 13,
    sample: { done: 64, total: 128 }, peakMemMB: 2048, durationMs: 95_000, error: undefined,
  });
});

test('done and failed chunks: duration start to end, frame and samples gone, error kept for failed', () => {
  const d = toChunkRow(done, NOW_MS);
  assert.equal([d.durationMs, d.frame, d.sample, d.peakMemMB], [300_000, undefined, undefined, 512]);
  const f = toChunkRow(failed, NOW_MS);
  assert.equal([f.durationMs, f.error], [1000, 'render-blender exited 1']);
});

test('a queued chunk has no duration, even with times from an earlier attempt', () => {
  const row = toChunkRow(chunk('0009', { startedAt: iso(NOW_MS - 5000), endedAt: iso(NOW_MS) }), NOW_MS);
  assert.is(row.durationMs, undefined);
  assert.is(toChunkRow(queued, NOW_MS).frames, '1-5x2');
});

test('filter by state, node or error text', () => {
  const all = [done, failed, running, queued];
  const ids = (filter: string) => buildChunkRows(all, NOW_MS, parseFilter(filter)).map((r) => r.id);
  assert.equal(ids(''), ['0001', '0002', '0003', '0004']);
  assert.equal(ids('state:failed'), ['0002']);
  assert.equal(ids('gpu'), ['0001', '0003']);
  assert.equal(ids('exited'), ['0002']);
});

test('samples: bar and count when there is room', () => {
  assert.is(samplesText({ done: 64, total: 128 }, 14, ASCII_BARS), '###.... 64/128');
  assert.is(samplesText({ done: 64, total: 128 }, 8, ASCII_BARS), '64/128');
  assert.is(samplesText(undefined, 8, ASCII_BARS), '-');
});

test('chunk lines fit 80 and 200 columns and show the running chunk\'s figures', () => {
  for (const width of [78, 198]) {
    const columns = fitColumns(CHUNK_COLUMNS, width);
    const text = lineText(chunkLine(toChunkRow(running, NOW_MS), columns, ASCII_BARS, false));
    assert.ok(text.length <= width);
    for (const part of ['0003', '11-15', 'running', 'gpu-01', '13', '64/128', '2.0G', '1m35s']) assert.ok(text.includes(part), `${part} in '${text}'`);
  }
});

test.run();
