// What a node reads per chunk, read again only when it changed: a hook added to, removed from or renamed
// in a job's folder, and an edited roots.json, are seen at the next use; a settled, unchanged one is not read.
import fs from 'node:fs/promises';
import fsSync from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REFRESH_MS, SETTLE_MS, UnchangedCache } from '../../src/spool/unchanged-cache.js';
import { discoverHooks } from '../../src/hooks/discover.js';
import { nodePaths } from '../../src/project/node-paths.js';
import type { JobRecord } from '../../src/spool/records.js';

const ROOTED_FILE = '{p}/shot/a.blend';

async function withDir(body: (dir: string) => Promise<void>): Promise<void> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'renderd-unchanged-'));
  try {
    await body(dir);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}

/** A cache whose wall clock runs SETTLE_MS ahead (what it reads counts as settled at once); `clock.ms` is its monotonic time. */
function countingCache(later = SETTLE_MS + 1000) {
  const reads: string[] = [];
  const clock = { ms: 0, wallMs: () => Date.now() + later, monotonicMs: () => clock.ms };
  const cache = new UnchangedCache<string[]>((dir, stat) => {
    reads.push(dir);
    return stat ? fsSync.readdirSync(dir).sort() : [];
  }, clock);
  return { cache, reads, clock };
}

test('a settled folder is read once, then read again after each change of its names', async () => {
  await withDir(async (dir) => {
    const { cache, reads } = countingCache();
    await fs.writeFile(path.join(dir, 'render-a'), '');
    assert.equal(cache.get(dir), ['render-a']);
    assert.equal(cache.get(dir), ['render-a']);
    assert.is(reads.length, 1);
    await fs.writeFile(path.join(dir, 'post-b'), '');
    assert.equal(cache.get(dir), ['post-b', 'render-a']);
    await fs.rename(path.join(dir, 'post-b'), path.join(dir, 'post-c'));
    assert.equal(cache.get(dir), ['post-c', 'render-a']);
    await fs.rm(path.join(dir, 'render-a'));
    assert.equal(cache.get(dir), ['post-c']);
    assert.is(reads.length, 4);
  });
});

test('a folder changed in the last SETTLE_MS is read at every use (two changes in one tick look alike)', async () => {
  await withDir(async (dir) => {
    const { cache, reads } = countingCache(0);
    cache.get(dir);
    cache.get(dir);
    assert.is(reads.length, 2);
  });
});

test('a reading REFRESH_MS old is read again whatever the stat says (a filer\'s attribute cache may lag)', async () => {
  await withDir(async (dir) => {
    const { cache, reads, clock } = countingCache();
    cache.get(dir);
    clock.ms += REFRESH_MS - 1;
    cache.get(dir);
    assert.is(reads.length, 1);
    clock.ms += 1;
    cache.get(dir);
    assert.is(reads.length, 2);
  });
});

test('a missing path reads as missing, and is read when it appears', async () => {
  await withDir(async (dir) => {
    const { cache } = countingCache();
    const hooks = path.join(dir, 'hooks');
    assert.equal(cache.get(hooks), []);
    await fs.mkdir(hooks);
    await fs.writeFile(path.join(hooks, 'pre-x'), '');
    assert.equal(cache.get(hooks), ['pre-x']);
  });
});

test('discoverHooks: a hook added to a job\'s folder mid-job is run from the next chunk on', async () => {
  await withDir(async (dir) => {
    await fs.writeFile(path.join(dir, 'render-a'), '');
    assert.equal((await discoverHooks(dir)).post, []);
    await fs.writeFile(path.join(dir, 'post-b'), '');
    assert.equal((await discoverHooks(dir)).post.map((hook) => hook.name), ['post-b']);
    // each call hands out its own lists: a generic job replaces its render stage in them
    (await discoverHooks(dir)).render.length = 0;
    assert.equal((await discoverHooks(dir)).render.map((hook) => hook.name), ['render-a']);
  });
});

test('nodePaths: roots.json written, edited and broken between chunks is seen by the next one', async () => {
  await withDir(async (spool) => {
    const job = { fileRooted: ROOTED_FILE } as unknown as JobRecord;
    assert.equal(await nodePaths(spool, 'n1', job), {});
    const roots = path.join(spool, 'roots.json');
    await fs.writeFile(roots, JSON.stringify({ roots: [{ name: 'p', [process.platform]: '/mnt/p' }] }));
    assert.is((await nodePaths(spool, 'n1', job)).RENDER_FILE, '/mnt/p/shot/a.blend');
    await fs.writeFile(roots, JSON.stringify({ roots: [{ name: 'p', [process.platform]: '/mnt/p', nodes: { n1: '/data/p' } }] }));
    assert.is((await nodePaths(spool, 'n1', job)).RENDER_FILE, '/data/p/shot/a.blend');
    await fs.writeFile(roots, '{');
    try {
      await nodePaths(spool, 'n1', job);
      assert.unreachable('a broken roots.json must be said');
    } catch (error) {
      assert.match((error as Error).message, /roots\.json/);
    }
  });
});

test.run();
