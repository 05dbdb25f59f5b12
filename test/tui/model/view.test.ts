import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildScreen, hintsLine } from '../../../src/tui/model/view.js';
import { INITIAL_STATE, focusPane, type UiState } from '../../../src/tui/model/state.js';
import { lineText } from '../../../src/tui/model/columns.js';
import { ASCII_BARS } from '../../../src/tui/model/text.js';
import { chunk, job, node, NOW_MS, snapshot } from '../fixtures.js';

const FARM = snapshot({
  jobs: [job('a0000001', { name: 'done-one', chunks: { done: 4 } }), job('a0000002', { name: 'shot_010', chunks: { queued: 3, running: 1, done: 2 } })],
  nodes: [node('gpu-01'), node('cpu-01', { sys: undefined })],
});

const build = (state: UiState = INITIAL_STATE, width = 80, height = 24, farm = FARM, status?: { text: string; tone: 'bad' }) =>
  buildScreen(farm, state, { width, height, nowMs: NOW_MS, glyphs: ASCII_BARS, status });

test('80x24: header, jobs and nodes, every line inside its pane', () => {
  const view = build();
  assert.equal(view.panes.map((p) => p.name), ['jobs', 'nodes']);
  for (const pane of view.panes) for (const line of pane.lines) assert.ok(lineText(line).length <= pane.rect.width - 2, `${pane.name}: '${lineText(line)}'`);
  assert.ok(lineText(view.header).length <= 80);
  assert.match(lineText(view.header), /2 jobs: 1 running, 0 queued, 0 paused, 0 failed, 1 done · 2 nodes/);
});

test('the running job comes first and is selected; the selection is returned in the state', () => {
  const view = build();
  assert.is(view.selectedJob?.name, 'shot_010');
  assert.is(view.state.selections.jobs.id, 'a0000002');
  const jobs = view.panes[0];
  assert.ok(jobs.lines[1].selected && !jobs.lines[2].selected);
  assert.ok(jobs.focused);
  assert.equal(view.rowIds.jobs, ['a0000002', 'a0000001']);
});

test('chunks: read for another job means "reading"; for this one, rows', () => {
  const state = focusPane(INITIAL_STATE, 'chunks');
  const stale = build(state, 80, 24, { ...FARM, chunks: { job: 'a0000001', list: [chunk('0001')] } });
  assert.match(lineText(stale.panes[1].lines[1]), /reading chunks/);
  const fresh = build(state, 80, 24, { ...FARM, chunks: { job: 'a0000002', list: [chunk('0001'), chunk('0002', { state: 'done', attempt: 1 })] } });
  assert.equal(fresh.rowIds.chunks, ['0001', '0002']);
  assert.is(fresh.selectedChunk?.id, '0001');
  assert.match(fresh.panes[1].title, /chunks of shot_010/);
});

test('log: says why it is empty, then shows the tail of the matching attempt', () => {
  const state = focusPane(INITIAL_STATE, 'log');
  const chunks = { job: 'a0000002', list: [chunk('0001', { state: 'running', attempt: 2 })] };
  const waiting = build(state, 80, 24, { ...FARM, chunks });
  assert.match(lineText(waiting.panes[1].lines[0]), /reading log/);
  const text = Array.from({ length: 50 }, (_, i) => `line ${i}`).join('\n');
  const shown = build(state, 80, 24, { ...FARM, chunks, log: { job: 'a0000002', chunk: '0001', attempt: 2, text } });
  const lines = shown.panes[1].lines.map(lineText).map((l) => l.trim());
  assert.is(lines[lines.length - 1], 'line 49');
  assert.is(lines.length, shown.visible.log);
  assert.is(shown.logMaxScroll, 50 - shown.visible.log);
  const notRun = build(state, 80, 24, { ...FARM, chunks: { job: 'a0000002', list: [chunk('0001')] } });
  assert.match(lineText(notRun.panes[1].lines[0]), /has not run yet/);
});

test('empty spool: a hint, no selection', () => {
  const view = build(INITIAL_STATE, 80, 24, snapshot());
  assert.is(view.selectedJob, undefined);
  assert.match(lineText(view.panes[0].lines[1]), /no jobs on this spool/);
  assert.match(lineText(view.panes[1].lines[1]), /no nodes/);
});

test('filtered jobs: the title says how many of how many', () => {
  const view = build({ ...INITIAL_STATE, filters: { ...INITIAL_STATE.filters, jobs: 'shot' } });
  assert.equal(view.rowIds.jobs, ['a0000002']);
  assert.match(view.panes[0].title, /jobs 1\/2 · farm order \[\/shot\]/);
});

test('footer: key hints to the width, or the status message', () => {
  assert.ok(lineText(hintsLine(80)).length <= 80);
  assert.match(lineText(hintsLine(80)), /q quit/);
  assert.ok(lineText(hintsLine(40)).length <= 40);
  assert.match(lineText(hintsLine(40)), /Tab pane.*q quit/);
  assert.not.match(lineText(hintsLine(40)), /n node/);
  assert.match(lineText(build(INITIAL_STATE, 80, 24, FARM, { text: 'job is gone', tone: 'bad' }).footer), /^job is gone/);
});

test('a tall, wide terminal shows all four panes', () => {
  assert.equal(build(INITIAL_STATE, 200, 60).panes.map((p) => p.name).sort(), ['chunks', 'jobs', 'log', 'nodes']);
});

test.run();
