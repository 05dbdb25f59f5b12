// Job completion exactly once with stale listings (issue 15, item 6). A listing of queued/ or running/
// that is stale (NFS caches them; here the listing calls are made to see empty folders) must not end the
// job while a chunk is still to run: each chunk is confirmed by name first. Then it ends once, not twice.
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Job, Spool } from '../../src/index.js';
import { deactivateIfFinished, activeEntriesOf } from '../../src/jobs/active.js';
import { everyChunkEnded } from '../../src/jobs/ended.js';
import { withTempSpool, withTimeout } from '../support/index.js';

/** Runs `fn` while every listing of `dirs` answers "empty", as a stale NFS listing would. */
async function withStaleListings<T>(dirs: string[], emptyDir: string, fn: () => Promise<T>): Promise<T> {
  const opendirSync = fs.opendirSync;
  const readdir = fsp.readdir;
  const stale = (dir: unknown) => dirs.includes(path.resolve(String(dir)));
  fs.opendirSync = ((dir: fs.PathLike, options?: fs.OpenDirOptions) => opendirSync(stale(dir) ? emptyDir : dir, options)) as typeof fs.opendirSync;
  fsp.readdir = ((dir: fs.PathLike, options?: unknown) => (readdir as (d: fs.PathLike, o?: unknown) => Promise<unknown>)(stale(dir) ? emptyDir : dir, options)) as typeof fsp.readdir;
  try {
    return await fn();
  } finally {
    fs.opendirSync = opendirSync;
    fsp.readdir = readdir;
  }
}

test('a stale listing that hides a queued chunk does not end the job; ended for real, it ends once', async () => {
  await withTimeout(20_000, 'stale listing', () => withTempSpool(async (tmp) => {
    const spool = await Spool.open(tmp.spool);
    const [job] = await spool.submit(Job.exec(['true'], { frames: '1-2', chunk: 1 }), { cwd: tmp.dir });
    const { ctx } = spool;
    const { layout } = ctx;
    // chunk 1 done; chunk 2 put back in queued/ (a requeue the stale listing has not seen)
    await fsp.rename(layout.chunkFile(job.id, 'queued', '0001'), layout.chunkFile(job.id, 'done', '0001'));
    const empty = path.join(tmp.dir, 'empty');
    await fsp.mkdir(empty);
    const live = [layout.stateDir(job.id, 'queued'), layout.stateDir(job.id, 'running')].map((d) => path.resolve(d));
    const early = await withStaleListings(live, empty, () => deactivateIfFinished(ctx, job.id));
    assert.is(early, false, 'not ended: chunk 0002 is found by name in no end state');
    assert.is((await activeEntriesOf(ctx, job.id)).length, 1, 'the job is still active');

    await fsp.rename(layout.chunkFile(job.id, 'queued', '0002'), layout.chunkFile(job.id, 'done', '0002'));
    assert.ok(await everyChunkEnded(ctx, { id: job.id, chunks: 2 }));
    const finishers = await Promise.all([deactivateIfFinished(ctx, job.id), deactivateIfFinished(ctx, job.id), deactivateIfFinished(ctx, job.id)]);
    assert.equal(finishers.filter(Boolean).length, 1, 'exactly one caller ends it (and fires the job hooks)');
    assert.is(await deactivateIfFinished(ctx, job.id), false, 'and never again');
  }));
});

test.run();
