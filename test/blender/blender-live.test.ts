// render-blender and post-check against each test Blender, run as the daemon runs them.
// A 32x18 Cycles scene at 1 sample renders a frame in a fraction of a second; Blender's
// start-up (~1 s) is the cost, so the file makes few runs.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readdirSync, rmSync, statSync, truncateSync } from 'node:fs';
import { join } from 'node:path';
import { suite, type Test } from 'uvu';
import * as assert from 'uvu/assert';
import { progressOfLog } from '../../src/blender/index.js';
import { HOOK_TIMEOUT_MS, HOOKS_DIR, makeTempDir, runHook } from './run-hook.js';
import { testBlenders } from '../support/blenders.js';
import { gate } from '../support/requires.js';

const RENDER = join(HOOKS_DIR, 'render-blender');
const CHECK = join(HOOKS_DIR, 'post-check');

const MAKE_SCENE = `
import bpy, sys
scene = bpy.context.scene
scene.render.engine = 'CYCLES'
scene.cycles.device = 'CPU'
scene.cycles.samples = 1
scene.cycles.use_denoising = False  # Debian's Cycles has no OpenImageDenoise
scene.render.resolution_x, scene.render.resolution_y, scene.render.resolution_percentage = 32, 18, 100
scene.frame_start, scene.frame_end = 1, 6
scene.render.image_settings.file_format = 'PNG'
bpy.ops.wm.save_as_mainfile(filepath=sys.argv[-1])
`;

for (const blender of testBlenders()) defineLive(blender.path, gate(suite(`hooks with the real Blender [${blender.name}]`), `Blender ${blender.name}`, blender.missing));

function defineLive(BLENDER: string, test: Test): void {
  let temp: ReturnType<typeof makeTempDir>;
  let job: string;
  let blend: string;

  test.before(() => {
    temp = makeTempDir('live');
    job = join(temp.dir, 'job');
    blend = join(temp.dir, 'project', 'scene.blend');
    mkdirSync(join(temp.dir, 'project'));
    mkdirSync(job);
  });
  test.after(() => temp.remove());

  function chunk(vars: Record<string, string>) {
    return { BLENDER, RENDER_FILE: blend, RENDER_JOB: 'j1', RENDER_CHUNK: 'c1', RENDER_ATTEMPT: '1', RENDER_NODE: 'test', ...vars };
  }
  function renderAndCheck(vars: Record<string, string>) {
    const render = runHook(RENDER, chunk(vars), job);
    assert.is(render.status, 0, render.stdout + render.stderr);
    const check = runHook(CHECK, chunk(vars), job);
    return { render, check, progress: progressOfLog(render.stdout) };
  }
  const out = (name: string) => join(temp.dir, 'project', 'out', name);
  const saved = (log: string) => progressOfLog(log).savedFiles; // 5.x prefixes its lines: read as the farm reads them

  // A test rather than a before() hook: uvu reports a failing hook only as tests not run.
  test('makes the scene: Cycles, 1 sample, no denoising, 32x18, frames 1-6', () => {
    const made = spawnSync(BLENDER, ['-b', '--factory-startup', '--python-exit-code', '1', '--python-expr', MAKE_SCENE, '--', blend],
      { encoding: 'utf8', timeout: HOOK_TIMEOUT_MS });
    assert.is(made.status, 0, made.stdout + made.stderr);
  });

  test('contiguous chunk: frames 1-3 rendered, post-check passes', () => {
    const { render, check, progress } = renderAndCheck({
      RENDER_OUTPUT: '//out/c_##', RENDER_FORMAT: 'PNG', RENDER_START: '1', RENDER_END: '3', RENDER_STEP: '1', RENDER_FRAME_LIST: '1 2 3',
    });
    assert.equal(saved(render.stdout), [out('c_01.png'), out('c_02.png'), out('c_03.png')]);
    assert.is(progress.framesDone, 3);
    assert.equal(check, { status: 0, signal: null, stdout: 'post-check: all 3 frames have their output\n', stderr: '' });
  });

  test('stepped chunk: frames 2, 4, 6, TARGA via -F TGA, named scene, output relative to the job folder', () => {
    const { render, check } = renderAndCheck({
      RENDER_OUTPUT: 'renders/s_###', RENDER_FORMAT: 'TARGA', RENDER_SCENE: 'Scene', RENDER_THREADS: '1',
      RENDER_START: '2', RENDER_END: '6', RENDER_STEP: '2', RENDER_FRAME_LIST: '2 4 6',
    });
    assert.equal(saved(render.stdout), ['renders/s_002.tga', 'renders/s_004.tga', 'renders/s_006.tga']);
    assert.equal(readdirSync(join(job, 'renders')).sort(), ['s_002.tga', 's_004.tga', 's_006.tga']);
    assert.is(check.status, 0, check.stdout);
  });

  test('non-contiguous chunk with negative frames: -f list, scene format, post-check by any extension', () => {
    const { render, check } = renderAndCheck({
      RENDER_OUTPUT: '//out/l_##', RENDER_START: '-2', RENDER_END: '6', RENDER_STEP: '0', RENDER_FRAME_LIST: '-2 -1 3 5 6',
    });
    assert.match(render.stdout, "-f ' -2.. -1,3,5..6'");
    assert.equal(saved(render.stdout), ['l_-02', 'l_-01', 'l_03', 'l_05', 'l_06'].map((name) => out(`${name}.png`)));
    assert.equal(check, { status: 0, signal: null, stdout: 'post-check: all 5 frames have their output\n', stderr: '' });
  });

  test('--no-overwrite: only the deleted and the empty frame are rendered again', () => {
    rmSync(out('c_02.png'));
    truncateSync(out('c_03.png'), 0); // what a crash mid-write leaves
    const before = statSync(out('c_01.png')).mtimeMs;
    const { render, check, progress } = renderAndCheck({
      RENDER_OUTPUT: '//out/c_##', RENDER_FORMAT: 'PNG', RENDER_NO_OVERWRITE: '1',
      RENDER_START: '1', RENDER_END: '3', RENDER_STEP: '1', RENDER_FRAME_LIST: '1 2 3',
    });
    assert.match(render.stdout.toLowerCase(), `skipping existing frame "${out('c_01.png')}"`.toLowerCase());
    assert.match(render.stdout, `render-blender: removed empty ${out('c_03.png')}`);
    assert.equal(saved(render.stdout), [out('c_02.png'), out('c_03.png')]);
    assert.is(statSync(out('c_01.png')).mtimeMs, before);
    assert.is(progress.framesDone, 3);
    assert.is(check.status, 0, check.stdout);
  });

  test('post-check fails on the real outputs when one is missing and one empty', () => {
    rmSync(out('l_-01.png'));
    truncateSync(out('l_05.png'), 0);
    const check = runHook(CHECK, chunk({ RENDER_OUTPUT: '//out/l_##', RENDER_STEP: '0', RENDER_FRAME_LIST: '-2 -1 3 5 6' }), job);
    assert.is(check.status, 1);
    assert.is(check.stdout, [
      `post-check: missing output for frame -1: ${out('l_-01')}.*`,
      `post-check: empty output for frame 5: ${out('l_05')}.*`,
      'post-check: 2 of 5 frames have no usable output', '',
    ].join('\n'));
  });

  test('a scene the file lacks fails instead of rendering the active scene', () => {
    const render = runHook(RENDER, chunk({ RENDER_SCENE: 'Nope', RENDER_OUTPUT: '//out/x_##', RENDER_START: '1', RENDER_END: '1', RENDER_STEP: '1' }), job);
    assert.is(render.status, 2);
    assert.match(render.stderr, `render-blender: no scene 'Nope' in ${blend}`);
    assert.not.ok(existsSync(out('x_01.png')));
  });

  test.run();
}
