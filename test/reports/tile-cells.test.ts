// A tile job's report: its chunks share their frame, so the contact sheet has one cell per frame, its
// preview the tiles drawn so far, its status the worst of its tiles'. Pure, no spool.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { frameCells } from '../../src/reports/job-report.js';
import type { AttemptStat } from '../../src/reports/stat-line.js';

const attempt = (chunk: string, durationMs: number, peakMemMB: number) => ({ chunk, outcome: 'done', node: 'n1', durationMs, frames: 1, peakMemMB }) as unknown as AttemptStat;

test('four tiles of frame 1: one cell, waiting while a tile renders, with the preview of those landed', () => {
  const chunks = ['0001', '0002', '0003', '0004'].map((id, i) => ({ id, frames: [1], state: i < 3 ? 'done' as const : 'running' as const, attempt: 1 }));
  const previews = new Map([[1, 'data:image/png;base64,AAAA']]);
  const cells = frameCells({ chunks, attempts: [attempt('0001', 1000, 100), attempt('0002', 2000, 300), attempt('0003', 1000, 200)], previews });
  assert.is(cells.length, 1);
  assert.equal({ ...cells[0], node: undefined }, { frame: 1, status: 'waiting', chunk: '0001-0004', preview: previews.get(1), node: undefined, timeMs: 4000, peakMemMB: 300 });
  const all = frameCells({ chunks: chunks.map((c) => ({ ...c, state: 'done' as const })), attempts: [], previews });
  assert.is(all[0].status, 'done');
});

test('frames of their own chunks stay a cell each', () => {
  const chunks = [{ id: '0001', frames: [1, 2], state: 'done' as const, attempt: 1 }, { id: '0002', frames: [3], state: 'failed' as const, attempt: 1 }];
  assert.equal(frameCells({ chunks, attempts: [], previews: new Map() }).map((c) => [c.frame, c.status]), [[1, 'missing'], [2, 'missing'], [3, 'failed']]);
});

test.run();
