// The pure core on synthetic files: every head layout, both endiannesses, both pointer sizes.
import { gzipSync } from 'node:zlib';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBlend } from '../../src/blend/index.js';
import { buildBlend, type SyntheticOptions, type SyntheticScene } from './synthetic.js';
import { zstdStore } from './zstd-store.js';

const scenes: SyntheticScene[] = [
  { name: 'Szene_ü_日本', sfra: -10, efra: 20, step: 3, imtype: 4, engine: 'BLENDER_EEVEE', pic: '//renders/ü_###', xsch: 640, ysch: 360, size: 50 },
  { name: 'Second', sfra: -100, efra: -50, imtype: 23, engine: 'BLENDER_WORKBENCH' },
];

const expectedScenes = [
  { name: 'Szene_ü_日本', frameStart: -10, frameEnd: 20, frameStep: 3, output: '//renders/ü_###', fileFormat: 'JPEG', resolution: { x: 640, y: 360, percent: 50 }, engine: 'BLENDER_EEVEE' },
  { name: 'Second', frameStart: -100, frameEnd: -50, frameStep: 1, output: '/tmp/', fileFormat: 'OPEN_EXR', resolution: { x: 1920, y: 1080, percent: 100 }, engine: 'BLENDER_WORKBENCH' },
];

const layouts: { label: string; options: SyntheticOptions; version: string; headerFormat: 'legacy' | 'large' }[] = [
  { label: 'BHead4 little-endian', options: { pointerSize: 4, endian: 'little', version: 279 }, version: '2.79', headerFormat: 'legacy' },
  { label: 'BHead4 big-endian', options: { pointerSize: 4, endian: 'big', version: 260 }, version: '2.60', headerFormat: 'legacy' },
  { label: 'SmallBHead8 little-endian', options: { pointerSize: 8, endian: 'little', version: 304 }, version: '3.4', headerFormat: 'legacy' },
  { label: 'SmallBHead8 big-endian', options: { pointerSize: 8, endian: 'big', version: 249 }, version: '2.49', headerFormat: 'legacy' },
  { label: 'LargeBHead8 (5.0 format)', options: { pointerSize: 8, endian: 'little', large: true, version: 500 }, version: '5.0', headerFormat: 'large' },
];

for (const { label, options, version, headerFormat } of layouts) {
  test(`${label}: header, REND and every scene`, () => {
    const info = parseBlend(buildBlend(scenes, options), 'synthetic.blend');
    assert.equal(info, {
      file: 'synthetic.blend', version, versionNumber: options.version, compression: 'none',
      pointerSize: options.pointerSize, endian: options.endian, headerFormat,
      renderScenes: [{ name: 'Szene_ü_日本', frameStart: -10, frameEnd: 20 }, { name: 'Second', frameStart: -100, frameEnd: -50 }],
      scenes: expectedScenes,
    });
  });
}

for (const rendNameBytes of [24, 64, 256]) {
  test(`REND name field of ${rendNameBytes} bytes (block length ${rendNameBytes + 8})`, () => {
    const info = parseBlend(buildBlend([{ name: 'Shot_010', sfra: 1001, efra: 1100 }], { pointerSize: 8, endian: 'little', rendNameBytes }));
    assert.equal(info.renderScenes, [{ name: 'Shot_010', frameStart: 1001, frameEnd: 1100 }]);
  });
}

test('files from before ImageFormatData keep the format in r.imtype', () => {
  const info = parseBlend(buildBlend([{ name: 'Old', sfra: 1, efra: 2, imtype: 22 }], { pointerSize: 4, endian: 'big', imFormat: false, version: 249 }));
  assert.is(info.scenes[0].fileFormat, 'TIFF');
});

test('an imtype this reader does not know is shown by number, not dropped', () => {
  const info = parseBlend(buildBlend([{ name: 'New', sfra: 1, efra: 2, imtype: 99 }], { pointerSize: 8, endian: 'little' }));
  assert.is(info.scenes[0].fileFormat, 'IMTYPE_99');
});

test('gzip and zstd (several frames plus a skippable seek-table frame) decode to the same info', () => {
  const plain = buildBlend(scenes, { pointerSize: 8, endian: 'little' });
  const expected = parseBlend(plain, 'x.blend');
  assert.equal(parseBlend(gzipSync(plain), 'x.blend'), { ...expected, compression: 'gzip' });
  assert.equal(parseBlend(zstdStore(plain, 1000), 'x.blend'), { ...expected, compression: 'zstd' });
});

test('a file with no scenes and no REND parses to empty lists', () => {
  const info = parseBlend(buildBlend([], { pointerSize: 8, endian: 'little' }));
  assert.equal([info.renderScenes, info.scenes], [[], []]);
});

test.run();
