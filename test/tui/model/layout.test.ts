import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { layoutScreen, visibleRows, type Rect } from '../../../src/tui/model/layout.js';

const overlaps = (a: Rect, b: Rect) => a.left < b.left + b.width && b.left < a.left + a.width && a.top < b.top + b.height && b.top < a.top + a.height;

const sizes: [number, number, string[]][] = [
  [80, 24, ['jobs', 'nodes']],
  [100, 30, ['jobs', 'nodes']],
  [120, 50, ['jobs', 'chunks', 'nodes', 'log']],
  [200, 60, ['jobs', 'chunks', 'log', 'nodes']],
];
for (const [width, height, panes] of sizes) {
  test(`${width}x${height}: ${panes.join(', ')}, inside the screen, no overlap, every row used`, () => {
    const layout = layoutScreen(width, height, 'nodes', 3);
    assert.equal(Object.keys(layout.panes).sort(), [...panes].sort());
    const rects = [layout.header, layout.footer, ...Object.values(layout.panes)] as Rect[];
    for (const r of rects) assert.ok(r.left >= 0 && r.top >= 0 && r.left + r.width <= width && r.top + r.height <= height && r.height > 0, JSON.stringify(r));
    for (let i = 0; i < rects.length; i++) for (let j = i + 1; j < rects.length; j++) assert.not.ok(overlaps(rects[i], rects[j]), `${JSON.stringify(rects[i])} vs ${JSON.stringify(rects[j])}`);
    const cells = rects.reduce((sum, r) => sum + r.width * r.height, 0);
    assert.is(cells, width * height);
  });
}

test('80x24: the detail pane is the one asked for; nodes take only the rows they need', () => {
  const nodes = layoutScreen(80, 24, 'nodes', 2);
  assert.is(nodes.panes.nodes!.height, 5);
  assert.is(nodes.panes.jobs!.height, 17);
  const chunks = layoutScreen(80, 24, 'chunks', 2);
  assert.ok(chunks.panes.chunks && !chunks.panes.nodes && !chunks.panes.log);
  assert.is(chunks.panes.chunks!.height, 11);
});

test('50 nodes on a tall screen get a quarter of it, not all of it', () => {
  const layout = layoutScreen(120, 60, 'nodes', 50);
  assert.is(layout.panes.nodes!.height, 14);
  assert.is(visibleRows(layout.panes.nodes), 11);
});

test('a tiny terminal still gets a sane layout', () => {
  const layout = layoutScreen(10, 5, 'log', 0);
  assert.ok(layout.panes.jobs!.height >= 1 && layout.panes.log!.height >= 1);
});

test.run();

test('a preview takes the right of the jobs pane from 80 columns on, and is left out when there is no room', () => {
  for (const [width, height] of [[80, 24], [100, 30], [120, 50], [200, 60]]) {
    const layout = layoutScreen(width, height, 'chunks', 3, true);
    const jobs = layout.panes.jobs!;
    const preview = layout.preview!;
    assert.ok(preview, `${width}x${height}: a preview`);
    assert.is(preview.left, jobs.left + jobs.width);
    assert.equal([preview.top, preview.height], [jobs.top, jobs.height]);
    assert.ok(jobs.width >= 56 && preview.width >= 24 && preview.width <= 64);
    assert.is(jobs.width + preview.width, width);
  }
  assert.is(layoutScreen(79, 24, 'nodes', 3, true).preview, undefined);
  assert.is(layoutScreen(80, 9, 'nodes', 3, true).preview, undefined);
  assert.is(layoutScreen(120, 40, 'nodes', 3).preview, undefined);
});
