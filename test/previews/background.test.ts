// The preview process (previews/background.ts): one per node, kept between chunks, chunks previewed in
// turn; a chunk over its time limit fails alone and the next one gets a fresh process.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs/promises';
import sharp from 'sharp';
import { previewChunkInBackground } from '../../src/previews/background.js';
import { withTempSpool } from '../support/index.js';

const test = suite('preview process');

test('chunks sent at once are all previewed; one over its limit fails alone', async () => {
  await withTempSpool(async (tmp) => {
    await fs.mkdir(tmp.path('out'));
    for (const frame of [1, 2, 3]) {
      await sharp({ create: { width: 64, height: 48, channels: 3, background: { r: frame * 60, g: 0, b: 0 } } }).png().toFile(tmp.path('out', `f_000${frame}.png`));
    }
    const task = (frames: number[]) => ({ jobDir: tmp.dir, previewsDir: tmp.path('pv'), output: tmp.path('out', 'f_####'), format: 'PNG', file: tmp.path('x.blend'), frames });
    const results = await Promise.all([previewChunkInBackground(task([1])), previewChunkInBackground(task([2])), previewChunkInBackground(task([3]))]);
    assert.equal(results.map((r) => r.written.length), [1, 1, 1]);
    const late = await previewChunkInBackground(task([1, 2, 3]), 0).then(() => 'resolved', (error: Error) => error.message);
    assert.match(late, /took over 0 ms/);
    const after = await previewChunkInBackground(task([3]));
    assert.equal(after.written.length, 1, 'the next chunk is previewed by a new process');
  });
});

test.run();
