// Every .blend in the shared fixtures against its MANIFEST.tsv row, read in place; both entry
// points (streaming readBlendInfo and in-memory parseBlend) must agree.
import { readFileSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { gunzipSync } from 'node:zlib';
import { decompress as unzstd } from 'fzstd';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBlend, readBlendInfo } from '../../src/blend/index.js';
import { BlockScanner } from '../../src/blend/block-scanner.js';
import { FIXTURES_DIR } from '../support/paths.js';

const FIXTURES = FIXTURES_DIR;

interface ManifestRow {
  filename: string;
  blender_header: string;
  compression: string;
  arch: string;
  first_block: string;
  rend_scenes: string;
  rend_block_len: string;
}

function readManifest(): ManifestRow[] {
  const [head, ...lines] = readFileSync(path.join(FIXTURES, 'MANIFEST.tsv'), 'utf8').trim().split('\n');
  const columns = head.split('\t');
  return lines.map((line) => Object.fromEntries(line.split('\t').map((cell, i) => [columns[i], cell])) as unknown as ManifestRow);
}

/** `BLENDER_v248` / `BLENDER-v304` / `BLENDER17-01v0500` → what the header must decode to. */
function expectHeader(header: string) {
  const large = /^BLENDER17-01v(\d{4})$/.exec(header);
  if (large) return { versionNumber: Number(large[1]), pointerSize: 8, endian: 'little', headerFormat: 'large' };
  const legacy = /^BLENDER([_-])([vV])(\d{3})$/.exec(header)!;
  return { versionNumber: Number(legacy[3]), pointerSize: legacy[1] === '_' ? 4 : 8, endian: legacy[2] === 'v' ? 'little' : 'big', headerFormat: 'legacy' };
}

/** `1-250:Scene` entries separated by `;`, or `(none)`. */
function expectRend(column: string) {
  if (column === '(none)') return [];
  return column.split(';').map((entry) => {
    const [, start, end, name] = /^(-?\d+)-(-?\d+):(.*)$/.exec(entry)!;
    return { name, frameStart: Number(start), frameEnd: Number(end) };
  });
}

/** The raw block list, to check the manifest's first block code and REND block length. */
function scanAllBlocks(bytes: Uint8Array, compression: string) {
  const plain = compression === 'gzip' ? gunzipSync(bytes) : compression === 'zstd' ? unzstd(bytes) : bytes;
  const scanner = new BlockScanner('fixture', () => true);
  scanner.push(plain);
  return scanner.finish().blocks;
}

const rows = readManifest();

test('the manifest lists every fixture file', () => {
  const files = readdirSync(FIXTURES).filter((name) => name.endsWith('.blend')).sort();
  assert.equal(rows.map((row) => row.filename).sort(), files);
});

// What this reader decodes from each fixture's single scene (no Blender of those versions here to
// ask): engine, format, resolution, output. Engines follow Blender's history: BLENDER_RENDER up to
// 2.7x, none in 2.4x, BLENDER_EEVEE_NEXT for 4.2-4.5, BLENDER_EEVEE again from 5.0.
const SCENE_SETTINGS: Record<string, [engine: string | null, format: string, x: number, y: number, percent: number, output: string]> = {
  'assimp_v248_32bit_default.blend': [null, 'JPEG', 800, 600, 100, '/tmp\\'],
  'assimp_v252_gzip_default.blend': ['BLENDER_RENDER', 'PNG', 1920, 1080, 25, '/tmp\\'],
  'assimp_v260_32bit_bigendian_yxa1.blend': ['BLENDER_RENDER', 'PNG', 1026, 320, 100, '/tmp/'],
  'assimp_v262_default.blend': ['BLENDER_RENDER', 'PNG', 1920, 1080, 50, '/tmp\\'],
  'vrm_v282_gzip_empty_mesh.blend': ['BLENDER_EEVEE', 'PNG', 1920, 1080, 100, '/tmp\\'],
  'vrm_v293_gzip_minimal.blend': ['BLENDER_EEVEE', 'PNG', 1920, 1080, 100, '/tmp\\'],
  'vrm_v404_zstd_mtoon1.blend': ['BLENDER_EEVEE_NEXT', 'PNG', 1920, 1080, 100, '/tmp/'],
  'gltf_v303_21_scene.blend': ['BLENDER_EEVEE', 'PNG', 1920, 1080, 100, '/tmp/'],
  'gltf_v400_10_custom_normals.blend': ['CYCLES', 'PNG', 1920, 1080, 50, '/tmp/'],
  'gltf_v405_36_viewport_material_export.blend': ['BLENDER_EEVEE_NEXT', 'PNG', 1920, 1080, 100, '/tmp/'],
  'gltf_v500_27_apply_modifier_with_shapekeys.blend': ['BLENDER_EEVEE', 'PNG', 1920, 1080, 100, '/tmp/'],
  'gltf_v501_zstd_38_pointcloud_GN.blend': ['BLENDER_EEVEE', 'PNG', 1920, 1080, 100, '/tmp/'],
  'gltf_v502_zstd_37_lamp_EEVEE.blend': ['BLENDER_EEVEE', 'PNG', 1920, 1080, 100, '/tmp/'],
  'gltf_v503_28_sk_no_reset.blend': ['BLENDER_EEVEE', 'PNG', 1920, 1080, 100, '/tmp/'],
};

for (const row of rows) {
  test(`${row.filename}: ${row.blender_header}, ${row.compression}, ${row.arch}, REND ${row.rend_scenes}`, async () => {
    const file = path.join(FIXTURES, row.filename);
    const info = await readBlendInfo(file);
    const header = expectHeader(row.blender_header);
    assert.equal(
      { versionNumber: info.versionNumber, pointerSize: info.pointerSize, endian: info.endian, headerFormat: info.headerFormat },
      header,
    );
    assert.is(`${info.pointerSize * 8}bit-${info.endian === 'little' ? 'LE' : 'BE'}-fmt${info.headerFormat === 'large' ? 1 : 0}`, row.arch);
    assert.is(info.compression, row.compression);
    assert.equal(info.renderScenes, expectRend(row.rend_scenes));
    // each REND scene is also a decoded scene with the same range
    for (const rend of info.renderScenes) {
      const scene = info.scenes.find((candidate) => candidate.name === rend.name);
      assert.ok(scene, `scene ${rend.name} decoded`);
      assert.equal([scene!.frameStart, scene!.frameEnd], [rend.frameStart, rend.frameEnd]);
    }
    const settings = SCENE_SETTINGS[row.filename];
    if (settings) {
      const [engine, fileFormat, x, y, percent, output] = settings;
      assert.equal(info.scenes.map((scene) => [scene.engine, scene.fileFormat, scene.resolution, scene.output, scene.frameStep]),
        [[engine, fileFormat, { x, y, percent }, output, 1]]);
    } else {
      assert.equal(info.scenes, [], 'no scene in a file without REND');
    }
    const bytes = readFileSync(file);
    assert.equal(parseBlend(bytes, file), info, 'parseBlend agrees with readBlendInfo');
    const blocks = scanAllBlocks(bytes, row.compression);
    assert.is(blocks[0].head.code, row.first_block);
    const rendBlocks = blocks.filter((block) => block.head.code === 'REND');
    assert.equal(rendBlocks.map((block) => String(block.data.length)), row.rend_block_len === '-' ? [] : [row.rend_block_len]);
  });
}

test.run();
