// --each-view-layer / --each-camera: one job per layer or camera read from the file, named after it,
// with a distinct output folder, as one group that render list shows together and render wait waits for.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { renderJson, runRender, withFleet, withTempSpool, withTimeout } from '../support/index.js';
import { gate, missingCommand } from '../support/requires.js';
import { folderName, outputInFolder, planEach } from '../../src/jobs/each.js';
import { makeStill } from './scenes.js';

// real Blender: a counted skip without it (a failure under CI=true)
const test = gate(suite('each view layer, each camera'), 'Blender', missingCommand('blender', 'apt-get install blender'));

test('outputs go into a folder per name; names that collide as folders get a suffix', () => {
  assert.is(outputInFolder('/out/f_####', 'BG'), '/out/BG/f_####');
  assert.is(outputInFolder('/out/', 'BG'), '/out/BG/');
  assert.is(outputInFolder('//f_####', 'BG'), '//BG/f_####');
  assert.equal([folderName('Hero/FG'), folderName('..'), folderName('a b.c')], ['Hero_FG', '_', 'a b.c']);
  const plan = planEach('view-layer', ['A/B', 'A_B'], 'shot', '/out/f_####', 'shot.blend');
  assert.equal(plan.map((j) => [j.name, j.output]), [['shot.A/B', '/out/A_B/f_####'], ['shot.A_B', '/out/A_B-2/f_####']]);
  assert.throws(() => planEach('camera', [], 'shot', '/out/f_####', 'shot.blend'), /--each-camera: shot.blend has no camera objects/);
});

test('a file with three view layers and two cameras: jobs per name, grouped, waited for as a group', async () => {
  await withTimeout(120_000, 'each', () => withTempSpool(async (tmp) => {
    makeStill(tmp.path('shot.blend'), { width: 32, height: 18, extra: `
s.view_layers.new('Hero/FG'); s.view_layers.new('BG')
cam = bpy.data.objects['Camera']; b = cam.copy(); b.name = 'CamB'; s.collection.objects.link(b)` });
    type Each = { group: string; jobs: Array<{ id: string; name: string; viewLayer?: string; camera?: string }> };
    const layers = await renderJson<Each>(tmp.spool, ['add', tmp.path('shot.blend'), '--each-view-layer', '--output', tmp.path('out', 'f_####')]);
    assert.is(layers.group, 'shot');
    assert.equal(layers.jobs.map((j) => [j.name, j.viewLayer]), [['shot.ViewLayer', 'ViewLayer'], ['shot.Hero/FG', 'Hero/FG'], ['shot.BG', 'BG']]);
    const shown = await renderJson<{ output: string }>(tmp.spool, ['show', layers.jobs[1].id]);
    assert.is(shown.output, tmp.path('out', 'Hero_FG', 'f_####'));
    const cams = await renderJson<Each>(tmp.spool, ['add', tmp.path('shot.blend'), '--each-camera', '--output', tmp.path('cams', 'f_####'), '--name', 'cams', '--paused']);
    assert.equal(cams.jobs.map((j) => j.camera).sort(), ['CamB', 'Camera']);
    const list = await renderJson<Array<{ id: string; group?: string }>>(tmp.spool, ['list']);
    assert.equal(list.filter((j) => j.group === 'shot').map((j) => j.id).sort(), layers.jobs.map((j) => j.id).sort());
    const text = (await runRender(['--spool', tmp.spool, 'list'])).stdout;
    assert.match(text, /GROUP/);
    // render wait GROUP waits for every job of the group (the paused cameras are another group)
    await withFleet(tmp.spool, async (fleet) => {
      fleet.start('e1', { exitWhenIdle: true, slots: 2 });
      const waited = await runRender(['--spool', tmp.spool, 'wait', 'shot', '--json'], { timeoutMs: 100_000 });
      assert.is(waited.code, 0, `${waited.stderr}\n${fleet.logs()}`);
      assert.equal((JSON.parse(waited.stdout) as Array<{ id: string }>).map((j) => j.id).sort(), layers.jobs.map((j) => j.id).sort());
    });
    for (const dir of ['ViewLayer', 'Hero_FG', 'BG']) assert.ok(fs.existsSync(tmp.path('out', dir, 'f_0001.png')), `${dir}'s frame`);
    const refused = await runRender(['--spool', tmp.spool, 'add', tmp.path('shot.blend'), '--each-camera', '--camera', 'CamB']);
    assert.equal([refused.code, refused.stderr.trim()], [2, 'render: --each-camera and --camera: choose one']);
  }));
});

test.run();
