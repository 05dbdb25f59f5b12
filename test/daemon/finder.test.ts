// The finder's cached listing of a job's queue goes stale as other nodes claim from it: a chunk gone
// from queued/ is skipped on a stat, without a lock cycle (a mkdir, and an rmdir that frees a block).
import path from 'node:path';
import { test } from 'uvu';
import { DEFAULT_CADENCE } from '../../src/daemon/cadence.js';
import * as assert from 'uvu/assert';
import { Job, Spool } from '../../src/index.js';
import { ChunkFinder } from '../../src/daemon/finder.js';
import { tryClaim } from '../../src/claim/protocol.js';
import { chunkNames } from '../../src/jobs/read.js';
import { testHolder as holder } from '../support/holder.js';
import { withTempSpool, withTimeout } from '../support/index.js';

const TEST_TIMEOUT_MS = 20_000;

test('chunks another node claimed since the listing cost no lock attempt', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'stale listing', () => withTempSpool(async (tmp) => {
    const here = await Spool.open(tmp.spool);
    const [job] = await here.submit(Job.exec(['true'], { frames: '1-12', chunk: 1 }), { cwd: path.dirname(tmp.spool) });
    const locked: string[] = [];
    const tryLock = here.ctx.locks.tryLock.bind(here.ctx.locks);
    here.ctx.locks.tryLock = (lockPath: string) => {
      locked.push(path.basename(lockPath));
      return tryLock(lockPath);
    };
    const finder = new ChunkFinder({ ctx: here.ctx, node: { name: 'n1', tags: [], memTotalBytes: 2 ** 34 }, liveNodes: () => ['n1', 'n2'], nowMs: () => Date.now(), cadence: DEFAULT_CADENCE });

    const first = await finder.claimNext(holder('n1'));
    assert.ok(first, 'the first claim lists the queue');
    // another node, with its own locks, claims all but the last two chunks (and keeps their locks, as it runs them)
    const there = await Spool.open(tmp.spool);
    const others = (await chunkNames(here.ctx, job.id, 'queued')).sort().slice(0, -2);
    for (const chunk of others) assert.ok((await tryClaim(there.ctx, job.id, chunk, holder('n2'))).ok, chunk);

    locked.length = 0;
    const second = await finder.claimNext(holder('n1'));
    assert.ok(second, 'a chunk still queued is found');
    assert.equal(locked, [second!.record.id], 'one lock attempt: the chunk claimed');
  }));
});

test.run();
