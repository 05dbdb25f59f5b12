// Held to the whole frame, with Debian's Blender: a Cycles still (adaptive sampling on) rendered as 4x4
// tiles on two nodes and merged equals the same frame rendered whole, within the noise of one sample.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { renderJson, runRender, withFleet, withTempSpool, withTimeout, type TempSpool } from '../support/index.js';
import { gate, missingCommand } from '../support/requires.js';
import { makeStill } from './scenes.js';
import { compareExr, comparePng, describe } from './compare.js';

// real Blender: a counted skip without it (a failure under CI=true)
const test = gate(suite('tiles against the whole frame'), 'Blender', missingCommand('blender', 'apt-get install blender'));

/** The frame rendered whole, by Blender itself: the reference. */
function renderWhole(blend: string, output: string): void {
  execFileSync('blender', ['-b', blend, '-o', output, '-f', '1'], { stdio: 'ignore', timeout: 120_000 });
}

/** Blender's own OpenEXR reader opens the merged file and finds the whole frame's pixels: our writer is valid. */
function blenderPixelDifference(whole: string, merged: string): number {
  const script = `
import bpy, sys
a, b = (bpy.data.images.load(p) for p in sys.argv[sys.argv.index('--') + 1:])
assert tuple(a.size) == tuple(b.size), (tuple(a.size), tuple(b.size))
print('DIFF', max(abs(x - y) for x, y in zip(a.pixels, b.pixels)))`;
  const out = execFileSync('blender', ['-b', '--factory-startup', '--python-exit-code', '2', '--python-expr', script, '--', whole, merged], { encoding: 'utf8', timeout: 120_000 });
  return Number(/^DIFF (\S+)$/m.exec(out)![1]);
}

/** The tile job's chunk logs: which tiles a warm Blender served (it applies the border as the cold hook does). */
async function warmTiles(tmp: TempSpool, tileJob: string): Promise<number> {
  const dir = path.join(tmp.spool, 'jobs', tileJob, 'logs');
  const logs = await Promise.all((await fs.readdir(dir)).map((f) => fs.readFile(path.join(dir, f), 'utf8')));
  return logs.filter((log) => /render-blender: warm Blender pid/.test(log)).length;
}

async function renderTiled(tmp: TempSpool, blend: string, output: string, grid: string, overscan: string, env: Record<string, string> = {}): Promise<{ merge: string; tiles: string }> {
  const { id, tiles } = await renderJson<{ id: string; tiles: { id: string } }>(tmp.spool, ['add', blend, '--tiles', grid, '--overscan', overscan, '--output', output]);
  await withFleet(tmp.spool, async (fleet) => {
    fleet.start('t1', { exitWhenIdle: true, slots: 2, env });
    const waited = await runRender(['--spool', tmp.spool, 'wait', id], { timeoutMs: 280_000 });
    assert.is(waited.code, 0, `render wait: ${waited.stderr}\n${fleet.logs()}`);
  });
  return { merge: id, tiles: tiles.id };
}

test('8-bit PNG: 4x4 tiles with 8 px overscan against the whole frame', async () => {
  await withTimeout(300_000, 'png tiles', () => withTempSpool(async (tmp) => {
    makeStill(tmp.path('still.blend'), { format: 'PNG', depth: '8' });
    renderWhole(tmp.path('still.blend'), tmp.path('whole', 'f_####'));
    const jobs = await renderTiled(tmp, tmp.path('still.blend'), tmp.path('tiled', 'f_####'), '4x4', '8');
    const warm = await warmTiles(tmp, jobs.tiles);
    console.log(`  ${warm} of 16 tiles served by a warm Blender`);
    assert.ok(warm > 0, 'the warm path renders tiles');
    const shown = await renderJson<{ preview: string | null }>(tmp.spool, ['show', jobs.merge]);
    assert.ok(shown.preview?.endsWith('0001.png'), `the merge job has the merged frame's preview: ${shown.preview}`);
    const tilesShown = await renderJson<{ preview: string | null }>(tmp.spool, ['show', jobs.tiles]);
    assert.ok(tilesShown.preview?.endsWith('0001.png'), `the tile job has the frame's preview, its tiles drawn in place: ${tilesShown.preview}`);
    const d = await comparePng(tmp.path('whole', 'f_0001.png'), tmp.path('tiled', 'f_0001.png'));
    console.log(`  8-bit PNG, 96x54, 4x4 tiles: ${describe(d)}`);
    // Blender's 8-bit dither hashes positions inside the image it writes, so a tile's dither differs:
    // at most a level or two, far under one sample's noise at 16 samples
    assert.ok(d.maxDiff <= 3, describe(d));
    assert.ok(d.psnr >= 40, describe(d));
    // warm is cold (contract 11): the same tiles rendered by cold starts merge into the same pixels
    const coldJob = await renderTiled(tmp, tmp.path('still.blend'), tmp.path('cold', 'f_####'), '4x4', '8', { RENDER_WARM: '0' });
    assert.is(await warmTiles(tmp, coldJob.tiles), 0);
    const c = await comparePng(tmp.path('tiled', 'f_0001.png'), tmp.path('cold', 'f_0001.png'));
    assert.is(c.differing, 0, `warm against cold tiles: ${describe(c)}`);
  }));
});

test('float EXR: 4x4 tiles with 8 px overscan against the whole frame', async () => {
  await withTimeout(300_000, 'exr tiles', () => withTempSpool(async (tmp) => {
    makeStill(tmp.path('still.blend'), { format: 'OPEN_EXR', depth: '32' });
    renderWhole(tmp.path('still.blend'), tmp.path('whole', 'f_####'));
    await renderTiled(tmp, tmp.path('still.blend'), tmp.path('tiled', 'f_####'), '4x4', '8');
    const d = await compareExr(tmp.path('whole', 'f_0001.exr'), tmp.path('tiled', 'f_0001.exr'));
    console.log(`  float EXR, 96x54, 4x4 tiles (${d.shape}): ${describe(d)}`);
    assert.ok(d.maxDiff <= 1 / 255, describe(d));
    assert.ok(d.psnr >= 48, describe(d));
    assert.ok(blenderPixelDifference(tmp.path('whole', 'f_0001.exr'), tmp.path('tiled', 'f_0001.exr')) <= 1 / 255, 'Blender reads the merged EXR');
  }));
});

test('multilayer EXR with passes, half EXR and 16-bit PNG: every channel merged', async () => {
  await withTimeout(300_000, 'multilayer tiles', () => withTempSpool(async (tmp) => {
    const passes = 's.view_layers[0].use_pass_normal = True; s.view_layers[0].use_pass_z = True';
    makeStill(tmp.path('ml.blend'), { width: 48, height: 27, format: 'OPEN_EXR_MULTILAYER', depth: '32', extra: passes });
    makeStill(tmp.path('half.blend'), { width: 48, height: 27, format: 'OPEN_EXR', depth: '16' });
    makeStill(tmp.path('png16.blend'), { width: 48, height: 27, format: 'PNG', depth: '16' });
    for (const name of ['ml', 'half', 'png16']) {
      renderWhole(tmp.path(`${name}.blend`), tmp.path('whole', `${name}_####`));
      await renderTiled(tmp, tmp.path(`${name}.blend`), tmp.path('tiled', `${name}_####`), '2x2', '4');
      const ext = name === 'png16' ? 'png' : 'exr';
      const [whole, tiled] = [tmp.path('whole', `${name}_0001.${ext}`), tmp.path('tiled', `${name}_0001.${ext}`)];
      const d = ext === 'png' ? await comparePng(whole, tiled) : await compareExr(whole, tiled);
      console.log(`  ${name}, 48x27, 2x2 tiles: ${describe(d)}`);
      // 16-bit PNGs are not dithered: they match like the EXRs (within one 8-bit level, to be safe)
      assert.ok(ext === 'png' ? d.maxDiff <= 257 : d.maxDiff <= 1 / 255, describe(d));
    }
  }));
});

test.run();
