// Files written by each test Blender (3.4 on Debian, 4.3 in trixie…), compared field by field with what bpy
// and Blender's own blend_render_info.py report for them. Skipped when Blender is not installed.
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBlend, readBlendInfo, type BlendScene } from '../../src/blend/index.js';
import { BlockScanner } from '../../src/blend/block-scanner.js';
import { getBlockHeadSize } from '../../src/blend/block-head.js';
import { parseSdna } from '../../src/blend/sdna.js';
import { resolveFieldPath } from '../../src/blend/struct-layout.js';
import { GENERATE_SCRIPT, runBlenderScript } from './blender-run.js';
import { testBlenders } from '../support/blenders.js';
import { gate } from '../support/requires.js';

interface Generated {
  scenes: BlendScene[];
  compressed: boolean;
  rend: [number, number, string][];
}


for (const testBlender of testBlenders()) {
  const blender = testBlender.path;
  const generated = gate(suite<{ dir: string; results: Record<string, Generated> }>(`blender-generated [${testBlender.name}]`, { dir: '', results: {} }), `Blender ${testBlender.name}`, testBlender.missing);
  generated.before(async (context) => {
    context.dir = await mkdtemp(path.join(os.tmpdir(), 'renderd-blend-'));
    context.results = (await runBlenderScript(blender, GENERATE_SCRIPT, [context.dir])) as Record<string, Generated>;
  });
  generated.after(async ({ dir }) => {
    if (dir) await rm(dir, { recursive: true, force: true });
  });

  generated('Blender wrote the expected variations', ({ results }) => {
    assert.equal(Object.keys(results).sort(), ['default.blend', 'formats_zstd.blend', 'multi.blend', 'multi_zstd.blend', 'window_scene.blend']);
  });

  for (const name of ['default.blend', 'multi.blend', 'multi_zstd.blend', 'window_scene.blend', 'formats_zstd.blend']) {
    generated(`${name}: every scene and the REND blocks match what Blender reports`, async ({ dir, results }) => {
      const expected = results[name];
      const info = await readBlendInfo(path.join(dir, name));
      const [major, minor] = testBlender.version!.split('.').map(Number);
      assert.equal([info.version, info.versionNumber, info.pointerSize, info.endian, info.headerFormat], [testBlender.version, major * 100 + minor, 8, 'little', major >= 5 ? 'large' : 'legacy']);
      assert.is(info.compression, expected.compressed ? 'zstd' : 'none');
      assert.equal(info.scenes, expected.scenes);
      assert.equal(info.renderScenes, expected.rend.map(([frameStart, frameEnd, sceneName]) => ({ name: sceneName, frameStart, frameEnd })));
    });
  }

  generated('the window scene, not the first scene, is the default REND entry (UTF-8 name)', async ({ dir }) => {
    const info = await readBlendInfo(path.join(dir, 'window_scene.blend'));
    assert.is(info.renderScenes[0].name, 'Szene_ü_日本');
  });

  generated('a gzip copy of a Blender file (the pre-3.0 compression) reads the same', async ({ dir }) => {
    const plain = path.join(dir, 'multi.blend');
    const gzipped = path.join(dir, 'multi_gzip.blend');
    await writeFile(gzipped, gzipSync(await readFile(plain)));
    const expected = await readBlendInfo(plain);
    assert.equal(await readBlendInfo(gzipped), { ...expected, file: gzipped, compression: 'gzip' });
  });

  generated('negative frames (Blender 3.4 clamps frame_start to 0, so patched in): REND and r.sfra read signed', async ({ dir }) => {
    const bytes = new Uint8Array(await readFile(path.join(dir, 'multi.blend')));
    const scanner = new BlockScanner('multi.blend', (code) => code === 'SC' || code === 'DNA1' || code === 'REND');
    scanner.push(bytes);
    const { header, blocks } = scanner.finish();
    const sdna = parseSdna(blocks.find((block) => block.head.code === 'DNA1')!.data, header.pointerSize, header.endian, 'multi.blend');
    const sfra = resolveFieldPath(sdna, 'Scene', 'r.sfra')!;
    const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
    const HEAD_BYTES = getBlockHeadSize(header); // SmallBHead8, LargeBHead8 from 5.0
    view.setInt32(blocks.find((block) => block.head.code === 'REND')!.offset + HEAD_BYTES, -10, true);
    view.setInt32(blocks.find((block) => block.head.code === 'SC')!.offset + HEAD_BYTES + sfra.offset, -10, true);
    const info = parseBlend(bytes, 'patched.blend');
    assert.equal(info.renderScenes[0], { name: 'Scene', frameStart: -10, frameEnd: 20 });
    assert.equal([info.scenes[0].frameStart, info.scenes[0].frameEnd], [-10, 20]);
  });
  generated.run();
}

