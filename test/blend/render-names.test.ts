// `render add --camera / --view-layer`: names read from the file (fixtures 2.48–5.03 and a file
// Blender 3.4 wrote), refused when the file lacks them, and applied by render-blender on a node.
import { execFile } from 'node:child_process';
import { mkdtemp, rm } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { promisify } from 'node:util';
import { suite, test } from 'uvu';
import * as assert from 'uvu/assert';
import { readRenderNames } from '../../src/blend/render-names.js';
import { testBlenders } from '../support/blenders.js';
import { gate } from '../support/requires.js';
import { renderJson, runRender, withFleet, withTimeout } from '../support/index.js';
import { readPngPixels } from '../project/png-pixels.js';
import { FIXTURES_DIR } from '../support/paths.js';

const run = promisify(execFile);
const FIXTURES = FIXTURES_DIR;

test('fixtures: the default camera and render/view layer of 2.48, 2.60 (big-endian) and 5.02', async () => {
  assert.equal(await readRenderNames(path.join(FIXTURES, 'assimp_v248_32bit_default.blend')), { cameras: ['Camera'], viewLayers: ['1 RenderLayer'] });
  assert.equal(await readRenderNames(path.join(FIXTURES, 'assimp_v260_32bit_bigendian_yxa1.blend')), { cameras: ['Camera'], viewLayers: ['RenderLayer'] });
  assert.equal(await readRenderNames(path.join(FIXTURES, 'gltf_v502_zstd_37_lamp_EEVEE.blend')), { cameras: ['Camera'], viewLayers: ['ViewLayer'] });
});

/** A red emissive plane seen by Cam; CamB looks away. Two view layers. 32x18, 1 sample. */
const SCENE = (file: string) => `
import bpy
bpy.ops.wm.read_homefile(use_empty=True)
s = bpy.context.scene
s.render.engine = 'CYCLES'; s.cycles.samples = 1; s.cycles.use_denoising = False
s.render.resolution_x, s.render.resolution_y = 32, 18
s.frame_start = s.frame_end = 1
s.render.filepath = '//out/f_####'
s.world = bpy.data.worlds.new('W')
bpy.ops.mesh.primitive_plane_add(size=4)
mat = bpy.data.materials.new('Red'); mat.use_nodes = True
inputs = mat.node_tree.nodes['Principled BSDF'].inputs  # 'Emission Color' from 4.0, its strength 0 by default there
(inputs.get('Emission Color') or inputs['Emission']).default_value = (1, 0, 0, 1)
inputs['Emission Strength'].default_value = 1.0
bpy.context.active_object.data.materials.append(mat)
for name, z in (('Cam', 5), ('CamB', -5)):
    cam = bpy.data.objects.new(name, bpy.data.cameras.new(name))
    cam.location = (0, 0, z)
    if z < 0: cam.rotation_euler = (3.14159, 0, 0)
    s.collection.objects.link(cam)
s.camera = bpy.data.objects['Cam']
s.view_layers.new('Second')
bpy.ops.wm.save_as_mainfile(filepath=${JSON.stringify(file)})`;


for (const testBlender of testBlenders()) {
  const blender = testBlender.path;
  const live = gate(suite<{ dir: string; blend: string }>(`camera and view layer [${testBlender.name}]`, { dir: '', blend: '' }), `Blender ${testBlender.name}`, testBlender.missing);
  live.before(async (context) => {
    context.dir = await mkdtemp(path.join(os.tmpdir(), 'renderd-names-'));
    context.blend = path.join(context.dir, 'cams.blend');
    await run(blender, ['-b', '--factory-startup', '--python-expr', SCENE(context.blend)], { timeout: 120_000 });
  });
  live.after(async ({ dir }) => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  live('a file Blender wrote: both cameras, both view layers', async ({ blend }) => {
    const names = await readRenderNames(blend);
    assert.equal([names.cameras.sort(), names.viewLayers.sort()], [['Cam', 'CamB'], ['Second', 'ViewLayer']]);
  });

  live('a camera or view layer the file lacks: exit 2, one line naming what it has', async ({ dir, blend }) => {
    const spool = path.join(dir, 'spool-bad');
    const camera = await runRender(['--spool', spool, 'add', blend, '--camera', 'Nope']);
    assert.is(camera.code, 2);
    assert.is(camera.stderr.trim().split('\n').length, 1);
    assert.match(camera.stderr, `--camera 'Nope': ${blend} has no camera object of that name (cameras: Cam, CamB)`);
    const layer = await runRender(['--spool', spool, 'add', blend, '--view-layer', 'Nope']);
    assert.is(layer.code, 2);
    assert.match(layer.stderr, /--view-layer 'Nope': .* \(view layers: (ViewLayer, Second|Second, ViewLayer)\)/);
  });

  live('--camera CamB --view-layer Second: the node renders what Blender renders through CamB', async ({ dir, blend }) => {
    await withTimeout(300_000, 'camera e2e', async () => {
      const expected = path.join(dir, 'expected_####');
      await run(blender!, ['-b', blend, '--python-expr', 'import bpy; s = bpy.context.scene; s.camera = bpy.data.objects["CamB"]\nfor l in s.view_layers: l.use = l.name == "Second"',
        '-o', expected, '-F', 'PNG', '-f', '1'], { timeout: 120_000 });
      const spool = path.join(dir, 'spool');
      const { id } = await renderJson<{ id: string }>(spool, ['add', blend, '--camera', 'CamB', '--view-layer', 'Second']);
      await withFleet(spool, async (fleet) => {
        fleet.start('c1', { exitWhenIdle: true, env: { BLENDER: blender } });
        const waited = await runRender(['--spool', spool, 'wait', id], { timeoutMs: 240_000 });
        assert.is(waited.code, 0, `render wait: ${waited.stderr}\n${fleet.logs()}`);
      });
      const farm = await readPngPixels(path.join(dir, 'out', 'f_0001.png'));
      assert.ok(farm.equals(await readPngPixels(path.join(dir, 'expected_0001.png'))), 'same pixels as Blender through CamB');
      const cam = path.join(dir, 'cam_####');
      await run(blender!, ['-b', blend, '-o', cam, '-F', 'PNG', '-f', '1'], { timeout: 120_000 });
      assert.not.ok(farm.equals(await readPngPixels(path.join(dir, 'cam_0001.png'))), 'and not what the scene camera sees');
    });
  });
  live.run();
}

test.run();
