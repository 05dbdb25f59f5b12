// post-check without Blender: its paths agree with expectedOutputPath, and it reports
// missing and empty files (the real renders are checked in blender-live.test).
import { mkdirSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectedOutputPath } from '../../src/blender/index.js';
import { BLEND, OUTPUT_CASES } from './output-cases.js';
import { HOOKS_DIR, makeTempDir, runHook } from './run-hook.js';

const CHECK = join(HOOKS_DIR, 'post-check');
const MISSING = /^post-check: missing output for frame (-?\d+): (.*)$/m;

const paths = suite('post-check paths = expectedOutputPath');
let empty: ReturnType<typeof makeTempDir>;
paths.before(() => { empty = makeTempDir('paths'); });
paths.after(() => empty.remove());

for (const [rawPattern, frame, format] of OUTPUT_CASES) {
  paths(`${rawPattern} frame ${frame} ${format || '(scene format)'}`, () => {
    // In an empty folder every file is missing, and post-check names the path it looked for.
    const blend = join(empty.dir, 'bx', 'scene.blend');
    const pattern = rawPattern.replace(dirname(BLEND), dirname(blend));
    const expected = expectedOutputPath(pattern, frame, format, blend);
    const { status, stdout } = runHook(CHECK, {
      RENDER_OUTPUT: pattern, RENDER_FORMAT: format, RENDER_FILE: blend, RENDER_FRAME_LIST: String(frame),
    }, empty.dir);
    if (expected === null) {
      assert.is(status, 0);
      assert.match(stdout, 'is a movie, not one file per frame; not checked');
      return;
    }
    assert.is(status, 1, stdout);
    const [, reportedFrame, reportedPath] = MISSING.exec(stdout) ?? [];
    assert.is(Number(reportedFrame), frame);
    assert.is(reportedPath, format === '' ? `${expected}.*` : expected);
  });
}
paths.run();

const check = suite('post-check results');
let temp: ReturnType<typeof makeTempDir>;
let blend: string;
check.before(() => {
  temp = makeTempDir('check');
  blend = join(temp.dir, 'scene.blend');
  mkdirSync(join(temp.dir, 'out'));
});
check.after(() => temp.remove());

const write = (name: string, body = 'image') => writeFileSync(join(temp.dir, 'out', name), body);

check('all present: exit 0, one line', () => {
  for (const frame of ['01', '03', '05']) write(`f_${frame}.png`);
  const result = runHook(CHECK, { RENDER_OUTPUT: '//out/f_##', RENDER_FORMAT: 'PNG', RENDER_FILE: blend, RENDER_START: '1', RENDER_END: '5', RENDER_STEP: '2' }, temp.dir);
  assert.equal(result, { status: 0, signal: null, stdout: 'post-check: all 3 frames have their output\n', stderr: '' });
});

check('a missing and an empty file: one line each, exit 1', () => {
  write('g_-01.exr'); write('g_00.exr', '');
  const result = runHook(CHECK, { RENDER_OUTPUT: '//out/g_##', RENDER_FORMAT: 'OPEN_EXR', RENDER_FILE: blend, RENDER_FRAME_LIST: '-2 -1 0' }, temp.dir);
  assert.is(result.status, 1);
  assert.is(result.stdout, [
    `post-check: missing output for frame -2: ${temp.dir}/out/g_-02.exr`,
    `post-check: empty output for frame 0: ${temp.dir}/out/g_00.exr`,
    'post-check: 2 of 3 frames have no usable output', '',
  ].join('\n'));
});

check('no format: any one extension counts, an empty file does not', () => {
  write('h_0001.jpg'); write('h_0002.png', '');
  const result = runHook(CHECK, { RENDER_OUTPUT: '//out/h_', RENDER_FORMAT: '', RENDER_FILE: blend, RENDER_FRAME_LIST: '1 2' }, temp.dir);
  assert.is(result.status, 1);
  assert.match(result.stdout, `post-check: empty output for frame 2: ${temp.dir}/out/h_0002.*\n`);
  assert.not.match(result.stdout, 'frame 1:');
});

check('"File Extensions" off: the bare path counts', () => {
  write('k_0001');
  const result = runHook(CHECK, { RENDER_OUTPUT: '//out/k_', RENDER_FORMAT: 'PNG', RENDER_FILE: blend, RENDER_FRAME_LIST: '1' }, temp.dir);
  assert.is(result.status, 0, result.stdout);
});

check('no RENDER_OUTPUT: a notice, exit 0', () => {
  const result = runHook(CHECK, { RENDER_FILE: blend, RENDER_FRAME_LIST: '1' }, temp.dir);
  assert.is(result.status, 0);
  assert.match(result.stdout, /^post-check: no RENDER_OUTPUT: .* not checked\n$/);
});

check.run();
