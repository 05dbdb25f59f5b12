// The view model for 1,000 jobs and 50 nodes: checked for correctness, timed for information
// (the goal is under 50 ms a build; the assertion is only on what it shows).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { buildBigFarm, buildBigScreen, measureTuiModel } from '../../../bench/tui-model.js';
import { INITIAL_STATE } from '../../../src/tui/model/state.js';
import { lineText } from '../../../src/tui/model/columns.js';

test('1,000 jobs x 50 nodes: every job is a row, only a screenful becomes lines', () => {
  const farm = buildBigFarm(1000, 50);
  const view = buildBigScreen(farm, 200, 60, INITIAL_STATE);
  assert.is(view.rowIds.jobs.length, 1000);
  assert.is(view.rowIds.nodes.length, 50);
  const jobs = view.panes.find((p) => p.name === 'jobs')!;
  assert.is(jobs.lines.length, view.visible.jobs + 1);
  assert.is(view.selectedJob?.state, 'running');
  for (const pane of view.panes) for (const line of pane.lines) assert.ok(lineText(line).length <= pane.rect.width - 2);
});

test('1,000 jobs x 50 nodes: build time (printed; goal under 50 ms)', () => {
  const median = measureTuiModel(21);
  console.log(`    tui view model, 1,000 jobs x 50 nodes: median ${median.toFixed(2)} ms per build`);
  assert.ok(Number.isFinite(median));
});

test.run();
