// render add --tiles from the command line: bad input is one line and exit 2 with nothing queued; a good
// one queues a tile job and its merge, and a removed tile job fails the merge instead of merging half.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import path from 'node:path';
import { renderJson, runRender, withFleet, withTempSpool, withTimeout, type TempSpool } from '../support/index.js';
import { gate, missingCommand } from '../support/requires.js';
import { makeStill } from './scenes.js';

// real Blender: a counted skip without it (a failure under CI=true)
const test = gate(suite('render add --tiles'), 'Blender', missingCommand('blender', 'apt-get install blender'));

async function refused(tmp: TempSpool, args: string[], message: RegExp): Promise<void> {
  const result = await runRender(['--spool', tmp.spool, 'add', ...args]);
  assert.is(result.code, 2, `exit code for ${args.join(' ')}: ${result.stderr}`);
  assert.is(result.stdout, '');
  assert.is(result.stderr.trim().split('\n').length, 1, `one line: ${result.stderr}`);
  assert.match(result.stderr, message);
  const list = await renderJson<unknown[]>(tmp.spool, ['list']);
  assert.is(list.length, 0, 'nothing queued');
}

test('bad grids, movie formats, overscan past a tile and seaming compositor nodes: one line, exit 2', async () => {
  await withTimeout(120_000, 'bad tiles', () => withTempSpool(async (tmp) => {
    makeStill(tmp.path('still.blend'), { width: 32, height: 18 });
    makeStill(tmp.path('glare.blend'), { width: 32, height: 18, extra: "s.use_nodes = True; g = s.node_tree.nodes.new('CompositorNodeGlare'); g.name = 'Bloom'" });
    const out = ['--output', tmp.path('out', 'f_####')];
    await refused(tmp, [tmp.path('still.blend'), '--tiles', '0x3', ...out], /^render: --tiles '0x3': expected COLSxROWS, each from 1 to 64 \(e\.g\. 4x4\)$/m);
    await refused(tmp, [tmp.path('still.blend'), '--tiles', '2x2', '--format', 'FFMPEG', ...out], /--tiles: the format FFMPEG writes a movie/);
    await refused(tmp, [tmp.path('still.blend'), '--tiles', '4x4', '--overscan', '5', ...out], /--overscan 5: larger than a tile \(8x4 px for 4x4 tiles of a 32x18 frame\)/);
    await refused(tmp, [tmp.path('still.blend'), '--tiles', '2x2', '--format', 'JPEG', ...out], /tiles of format 'JPEG' cannot be merged exactly/);
    await refused(tmp, [tmp.path('still.blend'), '--overscan', '4', ...out], /--overscan needs --tiles/);
    await refused(tmp, [tmp.path('still.blend'), '--tiles', '2x2', '--overscan', '2', '--no-overwrite', ...out], /--tiles and --no-overwrite: not supported together/);
    // a Glare runs on the merged frame (finish.test.ts), which Blender writes in any image format but a multilayer EXR
    await refused(tmp, [tmp.path('glare.blend'), '--tiles', '2x2', '--overscan', '2', '--format', 'OPEN_EXR_MULTILAYER', ...out],
      /^render: --tiles: the compositor's Glare \('Bloom'\) node reads pixels across tile edges, so the merge finishes the whole frame in Blender, which writes no multilayer EXR of it; use --format OPEN_EXR or PNG, or render it whole$/m);
  }));
});

test('a tiled still is a tile job (a chunk per tile) and a merge job after it; removing the tiles fails the merge', async () => {
  await withTimeout(120_000, 'tiled submission', () => withTempSpool(async (tmp) => {
    makeStill(tmp.path('still.blend'), { width: 32, height: 18 });
    const added = await renderJson<{ id: string; chunks: number; tiles: { id: string; chunks: number } }>(tmp.spool,
      ['add', tmp.path('still.blend'), '--tiles', '3x2', '--overscan', '2', '--output', tmp.path('out', 'f_####'), '--paused']);
    assert.is(added.chunks, 1, 'one merge chunk per frame');
    assert.is(added.tiles.chunks, 6, 'one tile chunk per tile');
    const merge = await renderJson<{ after?: string[]; command?: string[] }>(tmp.spool, ['show', added.id]);
    assert.ok(merge.command?.includes(added.tiles.id), 'the merge names its tile job');
    assert.is((await runRender(['--spool', tmp.spool, 'remove', added.tiles.id])).code, 0);
    assert.is((await runRender(['--spool', tmp.spool, 'resume', added.id])).code, 0);
    // a node finds the merge hopeless and fails it with the reason; no frame is written
    await withFleet(tmp.spool, async (fleet) => {
      fleet.start('n1', { exitWhenIdle: true });
      const waited = await runRender(['--spool', tmp.spool, 'wait', added.id], { timeoutMs: 60_000 });
      assert.is(waited.code, 1, `render wait of the merge: ${waited.stdout}${waited.stderr}\n${fleet.logs()}`);
      assert.match(waited.stdout + waited.stderr, new RegExp(`dependency ${added.tiles.id} was removed`));
    });
    assert.not.ok(fs.existsSync(tmp.path('out', 'f_0001.png')), 'no half frame');
  }));
});

test('a scene that denoises: its tiles render passes and its merge denoises; as a multilayer EXR, refused in one line', async () => {
  await withTimeout(120_000, 'denoised tiles', () => withTempSpool(async (tmp) => {
    makeStill(tmp.path('dn.blend'), { width: 32, height: 18, extra: 's.cycles.use_denoising = True' });
    const out = ['--output', tmp.path('out', 'f_####')];
    await refused(tmp, [tmp.path('dn.blend'), '--tiles', '2x2', '--overscan', '2', '--format', 'OPEN_EXR_MULTILAYER', ...out],
      /^render: --tiles: scene 'Scene' denoises, so the merge finishes the whole frame in Blender, which writes no multilayer EXR of it; use --format OPEN_EXR or PNG, or render it whole$/m);
    // JPEG too: Blender writes the finished frame, in the scene's own image settings
    const added = await renderJson<{ id: string; tiles: { id: string } }>(tmp.spool, ['add', tmp.path('dn.blend'), '--tiles', '2x2', '--overscan', '2', '--format', 'JPEG', ...out, '--paused']);
    const record = (id: string) => JSON.parse(fs.readFileSync(path.join(tmp.spool, 'jobs', id, 'job.json'), 'utf8')) as Record<string, unknown>;
    assert.equal(record(added.tiles.id).tiles, { cols: 2, rows: 2, overscan: 2, width: 32, height: 18, compositor: { denoise: true, format: 'JPEG' } });
    assert.is(record(added.tiles.id).format, 'OPEN_EXR_MULTILAYER');
    assert.is(record(added.id).needsOidn, true);
  }));
});

test.run();
