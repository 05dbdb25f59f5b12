// The reaper's repair of a running chunk whose file name carries no claim (an older renderd's claim
// interrupted between its move to running/ and its rewrite): it waits for nobody. A holder keeps its chunk's lock until the chunk ends, so a sweep that waited for
// that lock would hold a starting node's first claim for the whole chunk (minutes of Blender).
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import { DEFAULT_CADENCE } from '../../src/daemon/cadence.js';
import * as assert from 'uvu/assert';
import { Job, Spool } from '../../src/index.js';
import { Reaper } from '../../src/daemon/reaper.js';
import { HolderJudge } from '../../src/liveness/judge.js';
import { currentIdentity, newInstanceId } from '../../src/nodes/host.js';
import { withTempSpool, withTimeout } from '../support/index.js';

/** Well under the 30 s a waiting lock gives up after: a sweep that waited would fail here. */
const TEST_TIMEOUT_MS = 15_000;

async function interruptedClaim(dir: string) {
  const spool = await Spool.open(dir);
  const [job] = await spool.submit(Job.exec(['true'], { frames: '1-2', chunk: 1 }), { cwd: path.dirname(dir) });
  const { ctx } = spool;
  // what an older claimer that died after its rename leaves: the queued record, under a plain name, in running/
  await fs.rename(ctx.layout.chunkFile(job.id, 'queued', '0001'), ctx.layout.chunkFile(job.id, 'running', '0001'));
  const reaper = new Reaper(ctx, new HolderJudge(currentIdentity()), newInstanceId(), DEFAULT_CADENCE);
  return { ctx, job: job.id, reaper };
}

test('a token-less running chunk whose lock is held is left alone, without waiting for the lock', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'held', () => withTempSpool(async (tmp) => {
    const { ctx, job, reaper } = await interruptedClaim(tmp.spool);
    const held = await ctx.locks.tryLock(ctx.layout.chunkLock(job, '0001'));
    assert.ok(held.ok);
    try {
      assert.is(await reaper.sweep(), 0);
      await fs.access(ctx.layout.chunkFile(job, 'running', '0001'));
    } finally {
      if (held.ok) await held.lock.release();
    }
  }));
});

test('a token-less running chunk nobody holds goes back to the queue', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'free', () => withTempSpool(async (tmp) => {
    const { ctx, job, reaper } = await interruptedClaim(tmp.spool);
    assert.is(await reaper.sweep(), 1);
    await fs.access(ctx.layout.chunkFile(job, 'queued', '0001'));
    assert.not.ok(await fs.access(ctx.layout.chunkFile(job, 'running', '0001')).then(() => true, () => false));
  }));
});

test.run();
