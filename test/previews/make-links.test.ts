// Previews are spool writes too: a previews/ folder planted as a link out of the spool is refused, and
// nothing is written where it points.
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makePreview } from '../../src/previews/make.js';
import { withTempSpool } from '../support/index.js';

test('a previews/ folder that is a link out of the spool: the preview is refused, nothing lands outside', async () => {
  await withTempSpool(async (tmp) => {
    const frame = path.join(tmp.dir, 'f_0001.png');
    await sharp({ create: { width: 8, height: 8, channels: 3, background: '#808080' } }).png().toFile(frame);
    const jobDir = path.join(tmp.spool, 'jobs', 'j1');
    const outside = path.join(tmp.dir, 'outside');
    await fs.mkdir(jobDir, { recursive: true });
    await fs.mkdir(outside);
    await fs.symlink(outside, path.join(jobDir, 'previews'));
    const refused = await makePreview(frame, path.join(jobDir, 'previews', '0001.png')).then(() => 'written', (error: Error) => error.message);
    assert.match(refused, /symbolic link/);
    assert.equal(await fs.readdir(outside), []);
    await fs.rm(path.join(jobDir, 'previews'));
    await makePreview(frame, path.join(jobDir, 'previews', '0001.png'));
    assert.ok((await fs.stat(path.join(jobDir, 'previews', '0001.png'))).size > 0, 'a real folder takes it');
  });
});

test.run();
