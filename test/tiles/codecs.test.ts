// The merge's codecs keep every sample: PNG 8/16-bit in every channel layout, EXR half/float with any
// channels through each compression, and assembly crops the overscan byte for byte.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodePng, encodePng, type RasterImage } from '../../src/tiles/png.js';
import { decodeExrImage, encodeExrImage, lineBytes, type ExrImage } from '../../src/exr/codec.js';
import { assemblePng } from '../../src/tiles/assemble.js';
import { allTiles, type TileGrid } from '../../src/tiles/geometry.js';

const bytes = (n: number, seed: number) => Buffer.from(Array.from({ length: n }, (_, i) => (i * 97 + seed * 31 + 13) & 0xff));

for (const [channels, bytesPerSample] of [[1, 1], [2, 1], [3, 1], [4, 1], [1, 2], [3, 2], [4, 2]]) {
  test(`PNG ${channels} channel(s), ${bytesPerSample * 8} bits: written and read back unchanged`, () => {
    const image: RasterImage = { width: 7, height: 5, channels, bytesPerSample, data: bytes(7 * 5 * channels * bytesPerSample, channels) };
    assert.equal(decodePng(encodePng(image)), image);
  });
}

for (const compression of [0, 2, 3]) {
  test(`EXR (compression ${compression}): half, float and uint channels written and read back unchanged`, () => {
    const channels = [{ name: 'A', type: 1 }, { name: 'ViewLayer.Combined.B', type: 2 }, { name: 'ViewLayer.Depth.Z', type: 0 }];
    const channelList = Buffer.concat([...channels.map((c) => {
      const b = Buffer.alloc(c.name.length + 1 + 16); b.write(c.name, 'latin1'); b.writeInt32LE(c.type, c.name.length + 1); b.writeInt32LE(1, c.name.length + 9); b.writeInt32LE(1, c.name.length + 13); return b;
    }), Buffer.from([0])]);
    const image: ExrImage = {
      attributes: [
        { name: 'channels', type: 'chlist', value: channelList },
        { name: 'compression', type: 'compression', value: Buffer.from([compression]) },
        { name: 'dataWindow', type: 'box2i', value: Buffer.alloc(16) },
        { name: 'displayWindow', type: 'box2i', value: Buffer.alloc(16) },
      ],
      channels, compression, flags: 0x400, width: 9, height: 37, lines: bytes(lineBytes(channels, 9) * 37, 3),
    };
    const back = decodeExrImage(encodeExrImage(image));
    assert.ok(back.lines.equals(image.lines));
    assert.equal([back.width, back.height, back.compression, back.flags, back.channels], [9, 37, compression, 0x400, channels]);
  });
}

test('assembly: each tile\'s kept pixels land where the whole frame has them', () => {
  const grid: TileGrid = { cols: 3, rows: 2, overscan: 2, width: 11, height: 7 };
  const whole: RasterImage = { width: 11, height: 7, channels: 2, bytesPerSample: 2, data: bytes(11 * 7 * 4, 9) };
  const tiles = allTiles(grid).map(({ render }) => {
    const [w, h] = [render.x1 - render.x0, render.y1 - render.y0];
    const data = Buffer.alloc(w * h * 4);
    for (let y = 0; y < h; y++) whole.data.copy(data, y * w * 4, ((render.y0 + y) * 11 + render.x0) * 4, ((render.y0 + y) * 11 + render.x1) * 4);
    return { ...whole, width: w, height: h, data };
  });
  assert.equal(assemblePng(grid, tiles, tiles.map((_, i) => `t${i}`)), whole);
  assert.throws(() => assemblePng(grid, [tiles[1], ...tiles.slice(1)], tiles.map((_, i) => `t${i}`)), /t0 is \d+x\d+, expected/);
});

test.run();
