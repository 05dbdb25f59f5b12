// A frame that cannot be previewed is skipped with its reason, never thrown; the EXR pieces by hand.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs/promises';
import path from 'node:path';
import { previewChunk } from '../../src/previews/chunk.js';
import { halfToFloat } from '../../src/previews/exr.js';
import { srgbByte } from '../../src/previews/tonemap.js';
import { previewName } from '../../src/previews/paths.js';
import { withTempSpool } from '../support/index.js';

const test = suite('previews of a chunk');

test('missing, broken and unsupported frames are skipped with a reason; the chunk call resolves', async () => {
  await withTempSpool(async (tmp) => {
    await fs.mkdir(tmp.path('out'));
    await fs.writeFile(tmp.path('out', 'f_0002.png'), 'not a png');
    await fs.writeFile(tmp.path('out', 'f_0003.exr'), Buffer.from([0x76, 0x2f, 0x31, 0x01, 2, 0, 0, 0]));
    const png = await previewChunk({ jobDir: tmp.dir, previewsDir: tmp.path('pv'), output: tmp.path('out', 'f_####'), format: 'PNG', file: tmp.path('x.blend'), frames: [1, 2] }, (f) => tmp.path('pv', previewName(f)));
    assert.equal(png.written, []);
    assert.equal(png.skipped.map((s) => s.frame), [1, 2]);
    assert.match(png.skipped[0].reason, /no output file/);
    const exr = await previewChunk({ jobDir: tmp.dir, previewsDir: tmp.path('pv'), output: tmp.path('out', 'f_####'), format: 'OPEN_EXR', file: tmp.path('x.blend'), frames: [3] }, (f) => tmp.path('pv', previewName(f)));
    assert.is(exr.skipped.length, 1);
    const movie = await previewChunk({ jobDir: tmp.dir, previewsDir: tmp.path('pv'), output: 'x', format: 'FFMPEG', file: 'x.blend', frames: [1] }, (f) => path.join(tmp.dir, String(f)));
    assert.match(movie.skipped[0].reason, /movie/);
  });
});

test('half floats, the sRGB curve and preview names', () => {
  assert.is(halfToFloat(0x3c00), 1);
  assert.is(halfToFloat(0xc000), -2);
  assert.is(halfToFloat(0x3800), 0.5);
  assert.equal([0, 0.0031308, 0.5, 1, 7, NaN, -1].map(srgbByte), [0, 10, 188, 255, 255, 0, 0]);
  assert.equal([1, 42, 12345, -3].map(previewName), ['0001.png', '0042.png', '12345.png', '-003.png']);
});

test.run();
