// Nodes racing for one job's queue: a node whose every try of a round was taken by others (a lock held as it
// came) while chunks are still queued must look again soon. It used to wait for active/ to change, which a
// job with chunks still queued does not do: at 200 nodes on a 200-chunk job, 3 chunks stayed queued beside
// 3 idle nodes for the 5-minute re-look.
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChunkClaimer } from '../../src/daemon/chunk-claimer.js';
import { Job, Spool } from '../../src/index.js';
import { readJob } from '../../src/jobs/read.js';
import { testHolder as holder } from '../support/holder.js';
import { withTempSpool, withTimeout } from '../support/index.js';

const TEST_TIMEOUT_MS = 20_000;

test('every try of a round lost to other nodes, chunks still queued: a look again within twice the contended wait', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'contended claims', () => withTempSpool(async (tmp) => {
    const spool = await Spool.open(tmp.spool);
    const [job] = await spool.submit(Job.exec(['true'], { frames: '1-12', chunk: 1 }), { cwd: path.dirname(tmp.spool) });
    const record = (await readJob(spool.ctx, job.id))!;
    // the first 11 chunks' locks are held by others mid-claim as this node comes to them; the 12th is free
    const contended = new Set(Array.from({ length: 11 }, (_, i) => String(i + 1).padStart(4, '0')));
    const tryLock = spool.ctx.locks.tryLock.bind(spool.ctx.locks);
    let contention = true;
    spool.ctx.locks.tryLock = (lockPath: string) => (contention && contended.has(path.basename(lockPath)) ? Promise.resolve({ ok: false, reason: 'held' }) : tryLock(lockPath));
    const claimer = new ChunkClaimer({ ctx: spool.ctx, node: 'n1', nowMs: () => Date.now(), contendedRetryMs: 250 });

    const before = spool.ctx.clock.monotonicMs();
    const lost = await claimer.claim(record, holder('n1'));
    assert.ok(!('record' in lost), 'nothing claimed this round');
    assert.equal((lost as { kind: string }).kind, 'until', `a look again soon, not a wait for active/ to change: ${JSON.stringify(lost)}`);
    const at = (lost as { atMs: number }).atMs;
    assert.ok(at >= before + 250 && at <= spool.ctx.clock.monotonicMs() + 500, `${at - before} ms after`);

    contention = false;
    const won = await claimer.claim(record, holder('n1'));
    assert.ok('record' in won, 'the next round claims a chunk');
  }));
});

test('a queue that is empty when listed afresh waits for active/ to change', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'empty queue', () => withTempSpool(async (tmp) => {
    const spool = await Spool.open(tmp.spool);
    const [job] = await spool.submit(Job.exec(['true'], { frames: '1', chunk: 1 }), { cwd: path.dirname(tmp.spool) });
    const record = (await readJob(spool.ctx, job.id))!;
    const claimer = new ChunkClaimer({ ctx: spool.ctx, node: 'n1', nowMs: () => Date.now(), contendedRetryMs: 250 });
    assert.ok('record' in (await claimer.claim(record, holder('n1'))));
    assert.equal(await claimer.claim(record, holder('n1')), { kind: 'on-change' });
  }));
});

test.run();
