// Spool writes never follow links: at the file's name, or a folder on the way, pointing out of the spool.
import fs from 'node:fs/promises';
import fsSync from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpoolLayout } from '../../src/spool/layout.js';
import { writeFileAtomic } from '../../src/spool/atomic.js';
import { APPEND, openNoFollow, touchNoFollow, writeNoFollow } from '../../src/spool/no-follow.js';
import { ChunkLog } from '../../src/hooks/chunk-log.js';
import { withTempSpool } from '../support/index.js';

async function setUp(tmp: { path(...p: string[]): string }) {
  const root = tmp.path('spool');
  new SpoolLayout(root);
  const outside = tmp.path('outside');
  await fs.mkdir(outside, { recursive: true });
  await fs.writeFile(path.join(outside, 'target'), 'untouched\n');
  await fs.mkdir(path.join(root, 'jobs', 'j1', 'logs'), { recursive: true });
  return { root, outside, target: path.join(outside, 'target') };
}

test('a link at the file name: append, truncate, touch and the chunk log all refuse; the target is untouched', async () => {
  await withTempSpool(async (tmp) => {
    const { root, target } = await setUp(tmp);
    const link = path.join(root, 'jobs', 'j1', 'logs', '0001.1.log');
    await fs.symlink(target, link);
    assert.throws(() => openNoFollow(link, APPEND), /symbolic link/);
    assert.throws(() => writeNoFollow(link, 'x'), /symbolic link/);
    assert.throws(() => touchNoFollow(link), /symbolic link/);
    const warnings: string[] = [];
    const log = new ChunkLog(link, (text) => warnings.push(text));
    log.write('hook output\n');
    log.close();
    assert.match(warnings.join('\n'), /cannot open the chunk log .*symbolic link/);
    assert.is(await fs.readFile(target, 'utf8'), 'untouched\n');
  });
});

test('a folder on the way that links out of the spool: atomic writes, markers and logs refuse', async () => {
  await withTempSpool(async (tmp) => {
    const { root, outside, target } = await setUp(tmp);
    // jobs/j2 is a link to a folder outside
    await fs.symlink(outside, path.join(root, 'jobs', 'j2'));
    const atomic = await writeFileAtomic(path.join(root, 'jobs', 'j2', 'target'), 'x').then(() => 'written', (error: Error) => error.message);
    assert.match(atomic, /symbolic link/);
    assert.throws(() => touchNoFollow(path.join(root, 'jobs', 'j2', 'marker')), /symbolic link/);
    assert.throws(() => openNoFollow(path.join(root, 'jobs', 'j2', 'target'), APPEND), /symbolic link/);
    assert.is(await fs.readFile(target, 'utf8'), 'untouched\n');
    assert.not.ok(fsSync.existsSync(path.join(outside, 'marker')));
    assert.equal((await fs.readdir(outside)).sort(), ['target'], 'no temp file left outside either');
  });
});

test('a spool root that is itself a link is fine: only what is below it is checked', async () => {
  await withTempSpool(async (tmp) => {
    const real = tmp.path('real-spool');
    await fs.mkdir(path.join(real, 'jobs', 'j1'), { recursive: true });
    await fs.symlink(real, tmp.path('linked-spool'));
    new SpoolLayout(tmp.path('linked-spool'));
    await writeFileAtomic(tmp.path('linked-spool', 'jobs', 'j1', 'job.json'), '{}\n');
    touchNoFollow(tmp.path('linked-spool', 'jobs', 'j1', 'marker'));
    assert.equal((await fs.readdir(path.join(real, 'jobs', 'j1'))).sort(), ['job.json', 'marker']);
  });
});

test.run();
