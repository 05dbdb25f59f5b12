// A scene that denoises with OpenImageDenoise on a farm whose Blender lacks it (Debian's 3.4 and trixie's
// 4.3 fail such a frame with "Build without OpenImageDenoiser"): render add reads the need from the file,
// and the job waits, saying why, instead of failing every chunk on every node.
import { execFileSync } from 'node:child_process';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { denoisesWithOidn } from '../../src/blend/denoise.js';
import { readBlendInfo } from '../../src/blend/index.js';
import { probeBlender } from '../../src/blender/probe.js';
import { renderJson, runRender, withFleet, withTempSpool, withTimeout, type TempSpool } from '../support/index.js';
import { firstBlender, testBlenders } from '../support/blenders.js';
import { gate } from '../support/requires.js';

// a test Blender built without OIDN (Debian's are): one with it renders such a scene, nothing to wait for
const running = testBlenders().filter((b) => !b.missing);
const probes = await Promise.all(running.map((b) => probeBlender(b.path)));
const blender = running[probes.findIndex((p) => p.oidn === false)] ?? firstBlender();
const test = running.length === 0
  ? gate(suite('denoiser'), 'Blender', firstBlender().missing)
  : gate(suite('denoiser'), 'a Blender without OpenImageDenoise', probes.some((p) => p.oidn === false) ? null : 'every test Blender has it', { failInCi: false });

/** Cycles scenes saved by the test Blender: its defaults (denoising on), and denoising turned off. */
function makeScenes(tmp: TempSpool): { on: string; off: string } {
  const [on, off] = [tmp.path('on.blend'), tmp.path('off.blend')];
  execFileSync(blender.path, ['-b', '--factory-startup', '--python-exit-code', '1', '--python-expr', `
import bpy
s = bpy.context.scene
s.render.engine = 'CYCLES'; s.cycles.samples = 1
s.render.resolution_x, s.render.resolution_y = 32, 18
s.frame_start, s.frame_end = 1, 2
bpy.ops.wm.save_as_mainfile(filepath=${JSON.stringify(on)})
s.cycles.use_denoising = False
bpy.ops.wm.save_as_mainfile(filepath=${JSON.stringify(off)})`], { stdio: 'ignore', timeout: 120_000 });
  return { on, off };
}

test('the reader sees what Cycles would do: denoising on by default, off when turned off', async () => {
  await withTempSpool(async (tmp) => {
    const { on, off } = makeScenes(tmp);
    for (const [file, want] of [[on, true], [off, false]] as const) {
      const info = await readBlendInfo(file);
      assert.is(await denoisesWithOidn(file, info.scenes[0].name, info.versionNumber), want, file);
    }
  });
});

test('a job that denoises waits on a node without OpenImageDenoise, saying why; one that does not renders', async () => {
  await withTimeout(240_000, 'denoiser', () => withTempSpool(async (tmp) => {
    const { on, off } = makeScenes(tmp);
    const denoised = await renderJson<{ id: string }>(tmp.spool, ['add', on, '--output', tmp.path('on', 'f_####')]);
    const plain = await renderJson<{ id: string }>(tmp.spool, ['add', off, '--output', tmp.path('off', 'f_####')]);
    await withFleet(tmp.spool, async (fleet) => {
      const node = fleet.start('n1', { extraArgs: ['--blender', blender.path], env: { BLENDER: blender.path } });
      const waited = await runRender(['--spool', tmp.spool, 'wait', plain.id], { timeoutMs: 180_000 });
      assert.is(waited.code, 0, `render wait: ${waited.stderr}\n${node.stderr}`);
      const shown = await renderJson<{ state: string; reason?: string; chunks: { failed: number } }>(tmp.spool, ['show', denoised.id]);
      assert.equal([shown.state, shown.reason, shown.chunks.failed],
        ['queued', `needs a Blender with OpenImageDenoise (the scene denoises with it); nodes have ${blender.version}`, 0]);
    });
  }));
});

test.run();
