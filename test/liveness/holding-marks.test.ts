// Holding marks (nodes/holding.ts): a node marks itself before it first tries a claim and removes the mark
// once idle and checked; reapers watch marked nodes only (issue 17), so a marked holder that dies is still
// judged by the window and its chunk given back (issue 15), and its mark goes with it.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import { DEFAULT_CADENCE } from '../../src/daemon/cadence.js';
import * as assert from 'uvu/assert';
import { Job, Spool } from '../../src/index.js';
import { tryClaim } from '../../src/claim/protocol.js';
import { HolderJudge } from '../../src/liveness/judge.js';
import { ClaimKeeper } from '../../src/liveness/keeper.js';
import { Reaper } from '../../src/daemon/reaper.js';
import { holdingDir, makeHoldingMark } from '../../src/liveness/holding-marks.js';
import { currentIdentity, newInstanceId } from '../../src/nodes/host.js';
import { writeNodeRecord } from '../../src/nodes/registry.js';
import { countChunks } from '../../src/jobs/read.js';
import { FORMAT_VERSION, type Holder } from '../../src/spool/records.js';
import { sleep, waitUntil, withTempSpool, withTimeout } from '../support/index.js';

const TEST_TIMEOUT_MS = 20_000;

const marks = (dir: string) => fs.readdir(dir).catch(() => [] as string[]);

test('a keeper marks its node before a claim, keeps the mark while an end is pending, removes it once idle and checked', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'keeper', () => withTempSpool(async (tmp) => {
    const spool = await Spool.open(tmp.spool);
    const dir = holdingDir(spool.ctx.layout);
    const keeper = new ClaimKeeper({ ctx: spool.ctx, instance: 'i-1', node: 'n1', held: () => [] });
    assert.equal(await marks(dir), [], 'no mark before any claim');
    assert.ok(keeper.claimTried());
    assert.equal(await marks(dir), ['n1~i-1']);
    await keeper.reconcile();
    assert.equal(await marks(dir), ['n1~i-1'], 'one pass after a claim: still checking');
    for (let pass = 0; pass < 3; pass++) await keeper.reconcile();
    assert.equal(await marks(dir), [], 'clean passes: the mark is gone');
    assert.ok(keeper.claimTried());
    keeper.leave({ job: 'j', chunk: '0001', claim: { node: 'n1', instance: 'i-1', token: 't' }, end: { outcome: 'done' }, options: { retries: 0 } });
    keeper.stop();
    assert.equal(await marks(dir), ['n1~i-1'], 'an end left pending keeps the mark: observers will give the chunk back');
  }));
});

test('a marked holder that dies is judged by the window: its chunk goes back and its mark goes', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'dead holder', () => withTempSpool(async (tmp) => {
    const spool = await Spool.open(tmp.spool);
    const { ctx } = spool;
    const [job] = await spool.submit(Job.exec(['true'], { frames: '1-1', chunk: 1 }), { cwd: tmp.dir });
    // a holder on another host: only its heartbeat can tell
    const remote = { host: 'far-host', bootId: 'another-boot', pidns: 'pid:[1]', pid: 1234, pidStart: '1' };
    const holder: Holder = { node: 'far', instance: newInstanceId(), ...remote };
    await writeNodeRecord(ctx.layout, { v: FORMAT_VERSION, name: 'far', instance: holder.instance, ...remote, startedAt: '', beat: 1, state: 'running', slots: 1, tags: [], running: [], updatedAt: '' });
    const reaper = new Reaper(ctx, new HolderJudge(currentIdentity(), 600), newInstanceId(), DEFAULT_CADENCE);
    assert.is(await reaper.sweep(), 0, 'the first sweep: nothing held');
    makeHoldingMark(ctx.layout, { node: 'far', instance: holder.instance });
    const claimed = await tryClaim(ctx, job!.id, '0001', holder);
    assert.ok(claimed.ok);
    if (claimed.ok) await claimed.lock.release();
    let back = 0;
    await waitUntil('the dead holder\'s chunk back in the queue', async () => {
      back += await reaper.sweep();
      await sleep(100); // this test's sweep period (the daemon's is OBSERVE_MS)
      return back === 1;
    }, 10_000);
    assert.is((await countChunks(ctx, job!.id)).queued, 1);
    assert.equal(await marks(holdingDir(ctx.layout)), [], 'its mark removed');
    assert.not.ok(await fs.access(path.join(ctx.layout.nodes, 'far.json')).then(() => true, () => false), 'its record unregistered');
  }));
});

test.run();
