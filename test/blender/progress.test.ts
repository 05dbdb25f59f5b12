import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { initialProgress, parsePeakMemoryMB, progressOfLog, reduceProgress, type ChunkProgress } from '../../src/blender/index.js';

// Logs captured from Debian's Blender 3.4.1 (see the README next to them for the commands).
const FIXTURES = fileURLToPath(new URL('../../../test/blender/fixtures/', import.meta.url));
const fixture = (name: string) => readFileSync(FIXTURES + name, 'utf8');

// [line, what reduceProgress makes of it from a state on frame 1 with sample 3/32 and peak 100M].
type Change = Partial<ChunkProgress> | 'unchanged';
const LINES: Array<[string, string, Change]> = [
  ['Cycles 3.x sample', 'Fra:1 Mem:227.14M (Peak 366.56M) | Time:00:01.94 | Remaining:00:01.84 | Mem:592.86M, Peak:592.86M | Scene, ViewLayer | Sample 16/32',
    { sample: { done: 16, total: 32 }, peakMemMB: 592.86 }],
  ['Cycles 3.x finished, lower peaks', 'Fra:1 Mem:63.49M (Peak 80.23M) | Time:00:06.98 | Mem:8.22M, Peak:8.22M | Scene, ViewLayer | Finished',
    'unchanged'],
  ['EEVEE 3.x', 'Fra:1 Mem:43.82M (Peak 44.36M) | Time:00:00.28 | Rendering 17 / 64 samples',
    { sample: { done: 17, total: 64 } }],
  ['Cycles X tiled: tiles, not the per-tile samples', 'Fra:1 Mem:9.90M (Peak 10.83M) | Time:00:03.00 | Mem:0.76M, Peak:0.76M | Scene, ViewLayer | Rendered 2/4 Tiles, Sample 16/32',
    { sample: { done: 2, total: 4 } }],
  ['2.7x tile', 'Fra:1 Mem:15.45M (0.00M, Peak 15.96M) | Time:00:00.20 | Remaining:00:01.00 | Mem:1.02M, Peak:1.02M | Scene, RenderLayer | Path Tracing Tile 5/20',
    { sample: { done: 5, total: 20 } }],
  ['gigabytes', 'Fra:1 Mem:1.50G (Peak 2.25G) | Time:01:00.00 | Sample 4/32',
    { sample: { done: 4, total: 32 }, peakMemMB: 2304 }],
  ['next frame resets the sample', 'Fra:2 Mem:9.04M (Peak 10.83M) | Time:00:00.00 | Mem:0.00M, Peak:0.00M | Scene, ViewLayer | Synchronizing object | Cube',
    { frame: 2, sample: null }],
  ['negative frame', 'Fra:-3 Mem:9.04M (Peak 10.83M) | Time:00:00.00 | Scene, ViewLayer | Initializing', { frame: -3, sample: null }],
  ['5.0 prefixed sample', '00:04.230  render           | Fra: 1 | Remaining: 01:43.73 | Mem: 1699M | Sample 1/128',
    { sample: { done: 1, total: 128 }, peakMemMB: 1699 }],
  ['5.0 prefixed, hours', '01:02:19.277  render           | Fra: 7 | Mem: 1699M | Finished', { frame: 7, sample: null, peakMemMB: 1699 }],
  ['5.0 Saved', '02:19.739  render           | Saved: \'/tmp/0001.png\'',
    { framesDone: 1, lastSaved: '/tmp/0001.png', savedFiles: ['/tmp/0001.png'], lastSavedFrame: 1 }],
  ['3.x Saved', 'Saved: \'/tmp/dailies/frame_0001.png\'',
    { framesDone: 1, lastSaved: '/tmp/dailies/frame_0001.png', savedFiles: ['/tmp/dailies/frame_0001.png'], lastSavedFrame: 1 }],
  ['Saved with CRLF', 'Saved: \'/tmp/a b.png\'\r', { framesDone: 1, lastSaved: '/tmp/a b.png', savedFiles: ['/tmp/a b.png'], lastSavedFrame: 1 }],
  ['skipped (no-overwrite): done, not saved', 'skipping existing frame "/tmp/bx/o1/f_01.png"', { framesDone: 1 }],
  ['5.0 skipped, capitalised', '00:00.565  render           | Skipping existing frame "/tmp/nov/c_01.png"', { framesDone: 1 }],
  ['Time line', ' Time: 00:00.76 (Saving: 00:00.48)', 'unchanged'],
  ['Blender quit', 'Blender quit', 'unchanged'],
  ['empty line', '', 'unchanged'],
  ['same status again', 'Fra:1 Mem:9.04M (Peak 10.83M) | Time:00:00.01 | Scene, ViewLayer | Sample 3/32', 'unchanged'],
  ['a script printing Mem: is not a status line', 'Mem: 99999M used by my addon', 'unchanged'],
];

function onFrameOne(): ChunkProgress {
  return { ...initialProgress(), frame: 1, sample: { done: 3, total: 32 }, peakMemMB: 100 };
}

const lines = suite('reduceProgress, line by line');
for (const [name, line, change] of LINES) {
  lines(name, () => {
    const before = onFrameOne();
    const after = reduceProgress(before, line);
    if (change === 'unchanged') assert.is(after, before, 'the same object when nothing changed');
    else assert.equal(after, { ...before, ...change });
  });
}
lines('a second Saved: of the same frame (stereo views) is not a second frame', () => {
  const once = reduceProgress(onFrameOne(), "Saved: '/tmp/f_01_L.png'");
  const twice = reduceProgress(once, "Saved: '/tmp/f_01_R.png'");
  assert.is(twice.framesDone, 1);
  assert.equal(twice.savedFiles, ['/tmp/f_01_L.png', '/tmp/f_01_R.png']);
});
lines('without Fra: lines every Saved: counts', () => {
  const state = ["Saved: '/tmp/a.png'", "Saved: '/tmp/b.png'"].reduce(reduceProgress, initialProgress());
  assert.is(state.framesDone, 2);
});
lines('does not mutate its input', () => {
  const before = onFrameOne();
  const copy = structuredClone(before);
  reduceProgress(before, "Saved: '/tmp/x.png'");
  reduceProgress(before, 'Fra:2 Mem:1.00M (Peak 900.00M) | Sample 1/2');
  assert.equal(before, copy);
});
lines.run();

const memory = suite('parsePeakMemoryMB');
memory('the largest of Blender\'s and the device\'s figures, units converted', () => {
  assert.is(parsePeakMemoryMB('Fra:1 Mem:9.94M (Peak 10.83M) | Time:00:00.07 | Mem:0.78M, Peak:0.78M | Scene'), 10.83);
  assert.is(parsePeakMemoryMB('Fra:1 Mem:1.5G (Peak 2G)'), 2048);
  assert.is(parsePeakMemoryMB('Fra:1 Mem:512K'), 0.5);
  assert.is(parsePeakMemoryMB('Fra:1 | Time:00:01.00'), null);
});
memory.run();

const logs = suite('real Blender 3.4 logs');
logs('Cycles, frames 1-2', () => {
  const state = progressOfLog(fixture('cycles-3.4.log'));
  assert.equal(state, {
    frame: 2, framesDone: 2, sample: { done: 1, total: 1 }, peakMemMB: 10.83,
    lastSaved: '/tmp/bx/o1/f_02.png', savedFiles: ['/tmp/bx/o1/f_01.png', '/tmp/bx/o1/f_02.png'], lastSavedFrame: 2,
  });
});
logs('EEVEE (software GL through surfaceless EGL), frame 1', () => {
  const state = progressOfLog(fixture('eevee-3.4.log'));
  assert.equal(state, {
    frame: 1, framesDone: 1, sample: { done: 4, total: 4 }, peakMemMB: 11.86,
    lastSaved: '/tmp/bx/eout/f_0001.png', savedFiles: ['/tmp/bx/eout/f_0001.png'], lastSavedFrame: 1,
  });
});
logs('no-overwrite: frame 1 skipped, frame 2 rendered', () => {
  const state = progressOfLog(fixture('no-overwrite-3.4.log'));
  assert.is(state.framesDone, 2);
  assert.equal(state.savedFiles, ['/tmp/bx/o1/f_02.png']);
});
logs('most lines of a real log change nothing and return the same object', () => {
  let state = initialProgress();
  let changes = 0;
  const all = fixture('cycles-3.4.log').split('\n');
  for (const line of all) {
    const next = reduceProgress(state, line);
    if (next !== state) changes++;
    state = next;
  }
  // frame 1 (+peak), sample 0/1 and 1/1, Saved; the same for frame 2.
  assert.ok(changes <= 8, `${changes} of ${all.length} lines changed the state`);
});
logs.run();
