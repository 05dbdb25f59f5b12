// Tile geometry: kept boxes cover the frame exactly once, overscan stays in the frame, borders land on
// the pixels Blender truncates them to, and bad grids are one line each.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { allTiles, checkGrid, frameSize, parseOverscan, parseTileSpec, renderBorder, type TileGrid } from '../../src/tiles/geometry.js';
import { tileChunkFrames, tileIndexOfChunk } from '../../src/tiles/plan.js';
import { chunkId } from '../../src/frames/index.js';

const grids: TileGrid[] = [
  { cols: 4, rows: 4, overscan: 16, width: 1920, height: 1080 },
  { cols: 3, rows: 2, overscan: 4, width: 64, height: 36 },
  { cols: 7, rows: 5, overscan: 0, width: 33, height: 17 },
  { cols: 1, rows: 1, overscan: 8, width: 10, height: 10 },
];

for (const grid of grids) {
  test(`${grid.cols}x${grid.rows} of ${grid.width}x${grid.height}: every pixel kept by exactly one tile`, () => {
    const hits = new Uint8Array(grid.width * grid.height);
    for (const { keep, render } of allTiles(grid)) {
      for (let y = keep.y0; y < keep.y1; y++) for (let x = keep.x0; x < keep.x1; x++) hits[y * grid.width + x]++;
      assert.ok(render.x0 >= 0 && render.y0 >= 0 && render.x1 <= grid.width && render.y1 <= grid.height, 'render box inside the frame');
      assert.ok(render.x0 <= keep.x0 && render.x1 >= keep.x1 && render.y0 <= keep.y0 && render.y1 >= keep.y1, 'render box holds the kept box');
      assert.ok(keep.x0 - render.x0 === Math.min(grid.overscan, keep.x0), 'overscan to the left, clamped');
    }
    assert.ok(hits.every((h) => h === 1));
  });

  test(`${grid.cols}x${grid.rows}: the border truncates (as Blender does) to the render box`, () => {
    for (const { render } of allTiles(grid)) {
      const [x0, y0, x1, y1] = renderBorder(grid, render).map((f) => Math.fround(f));
      assert.equal([Math.trunc(x0 * grid.width), Math.trunc(x1 * grid.width)], [render.x0, render.x1]);
      // y up in Blender: the box's bottom row is its min
      assert.equal([Math.trunc(y0 * grid.height), Math.trunc(y1 * grid.height)], [grid.height - render.y1, grid.height - render.y0]);
    }
  });
}

test('a tiled job: one chunk per tile per frame, frame-major, and the chunk id gives the tile back', () => {
  const frames = tileChunkFrames([5, 6], { cols: 2, rows: 2 });
  assert.equal(frames, [[5], [5], [5], [5], [6], [6], [6], [6]]);
  assert.equal(frames.map((_, i) => tileIndexOfChunk(chunkId(i, frames.length), { cols: 2, rows: 2 })), [0, 1, 2, 3, 0, 1, 2, 3]);
});

test('frame size: resolution × percentage, truncated', () => {
  assert.equal(frameSize({ x: 1920, y: 1080, percent: 50 }), { width: 960, height: 540 });
  assert.equal(frameSize({ x: 33, y: 17, percent: 33 }), { width: 10, height: 5 });
});

for (const [raw, message] of [
  ['0x3', /--tiles '0x3': expected COLSxROWS, each from 1 to 64/],
  ['4', /--tiles '4'/],
  ['65x1', /from 1 to 64/],
  ['4x-1', /--tiles '4x-1'/],
] as const) {
  test(`--tiles ${raw} is refused with one line`, () => {
    assert.throws(() => parseTileSpec(raw), (e: Error) => e.name === 'UsageError' && message.test(e.message) && !e.message.includes('\n'));
  });
}

test('--overscan: a whole number; larger than a tile is refused naming both', () => {
  assert.is(parseOverscan(undefined), 16);
  assert.is(parseOverscan('0'), 0);
  assert.throws(() => parseOverscan('-3'), /--overscan '-3'/);
  assert.throws(() => checkGrid({ cols: 4, rows: 4, overscan: 20, width: 64, height: 36 }), /--overscan 20: larger than a tile \(16x9 px/);
  assert.throws(() => checkGrid({ cols: 40, rows: 1, overscan: 0, width: 32, height: 18 }), /more tiles than the 32x18 frame has pixels/);
  checkGrid({ cols: 4, rows: 4, overscan: 9, width: 64, height: 36 });
});

test.run();
