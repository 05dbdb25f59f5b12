// A tile job's frame preview: each tile landed so far drawn in place, its overscan cropped; a tile not
// yet rendered is black. Real files, real image library, no Blender.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { composeTilePreview, scaledBox } from '../../src/previews/tiles.js';
import { decodePng, writePng } from '../../src/tiles/png.js';
import { allTiles } from '../../src/tiles/geometry.js';

const grid = { cols: 2, rows: 1, overscan: 4, width: 64, height: 32 };

/** A tile's render: its kept box in `colour`, its overscan green (which must never show). */
async function writeTile(file: string, index: number, colour: [number, number, number]): Promise<void> {
  const { keep, render } = allTiles(grid)[index];
  const [width, height] = [render.x1 - render.x0, render.y1 - render.y0];
  const data = Buffer.alloc(width * height * 3);
  for (let y = 0; y < height; y++) {
    for (let x = 0; x < width; x++) {
      const inside = x + render.x0 >= keep.x0 && x + render.x0 < keep.x1;
      data.set(inside ? colour : [0, 255, 0], (y * width + x) * 3);
    }
  }
  await writePng(file, { width, height, channels: 3, bytesPerSample: 1, data });
}

function pixel(png: Buffer, x: number, y: number): number[] {
  const image = decodePng(png);
  const at = (y * image.width + x) * image.channels;
  return [...image.data.subarray(at, at + 3)];
}

test('tiles drawn in place as they land; the rest black; no overscan shows', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tile-preview-'));
  try {
    const files = [path.join(dir, 't0_0001.png'), path.join(dir, 't1_0001.png')];
    const dest = path.join(dir, 'jobs', 'j', 'previews', '0001.png');
    await writeTile(files[0], 0, [255, 0, 0]);
    assert.is(await composeTilePreview({ grid, files }, dest), 1);
    let png = await fs.readFile(dest);
    assert.equal([decodePng(png).width, decodePng(png).height], [64, 32]);
    assert.equal([pixel(png, 0, 0), pixel(png, 31, 16), pixel(png, 32, 16), pixel(png, 63, 31)], [[255, 0, 0], [255, 0, 0], [0, 0, 0], [0, 0, 0]]);
    await writeTile(files[1], 1, [0, 0, 255]);
    assert.is(await composeTilePreview({ grid, files }, dest), 2);
    png = await fs.readFile(dest);
    assert.equal([pixel(png, 31, 16), pixel(png, 32, 16), pixel(png, 35, 0)], [[255, 0, 0], [0, 0, 255], [0, 0, 255]]);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('scaled boxes of neighbouring tiles abut: no gap, no overlap', () => {
  const big = { cols: 3, rows: 3, overscan: 16, width: 1921, height: 1081 };
  const boxes = allTiles(big).map((t) => scaledBox(t.keep, 320 / 1921));
  for (let i = 0; i + 1 < boxes.length; i++) if (i % 3 !== 2) assert.is(boxes[i].x1, boxes[i + 1].x0);
});

test('no tile yet: no preview written', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'tile-preview-'));
  try {
    assert.is(await composeTilePreview({ grid, files: [path.join(dir, 'a.png'), path.join(dir, 'b.png')] }, path.join(dir, 'p', 'x.png')), 0);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test.run();
