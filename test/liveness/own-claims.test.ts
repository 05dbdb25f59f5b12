// A node's own claims against what it runs (holder/own-claims.ts), on a real spool in this process: an
// entry of its own instance it does not run goes back to the queue (at the second pass: the first may
// be a claim on its way in); an end left pending is recorded once it can be; a chunk run here whose claim
// left running/ is killed.
import path from 'node:path';
import fs from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Job, Spool } from '../../src/index.js';
import { tryClaim } from '../../src/claim/protocol.js';
import { claimOf } from '../../src/claim/transitions.js';
import { OwnClaims, type HeldChunk } from '../../src/liveness/own-claims.js';
import { currentIdentity, newInstanceId } from '../../src/nodes/host.js';
import { countChunks } from '../../src/jobs/read.js';
import type { ChunkRecord, Holder } from '../../src/spool/records.js';
import type { FarmContext } from '../../src/claim/context.js';
import { withTempSpool, withTimeout } from '../support/index.js';

const TEST_TIMEOUT_MS = 20_000;

async function claimedChunks(dir: string, count: number) {
  const spool = await Spool.open(dir);
  const [job] = await spool.submit(Job.exec(['true'], { frames: `1-${count}`, chunk: 1 }), { cwd: path.dirname(dir) });
  const instance = newInstanceId();
  const holder: Holder = { node: 'self', instance, ...currentIdentity() };
  const claims = [];
  for (let i = 1; i <= count; i++) {
    const claim = await tryClaim(spool.ctx, job.id, String(i).padStart(4, '0'), holder);
    if (!claim.ok) throw new Error(`not claimed: ${claim.reason}`);
    await claim.lock.release();
    claims.push(claim.record);
  }
  return { ctx: spool.ctx, job: job.id, instance, claims };
}

/** A reconciler whose node runs `record`, noting why it was killed. */
function watching(ctx: FarmContext, job: string, instance: string, record: ChunkRecord) {
  const killed: string[] = [];
  const held: HeldChunk[] = [{ job: { id: job }, record: { id: record.id }, claim: claimOf(record), ending: false, kill: (why) => killed.push(why) }];
  return { own: new OwnClaims(ctx, instance, () => held), killed };
}

test('an own entry not run here is given back at the second pass; one run here is left alone', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'orphan', () => withTempSpool(async (tmp) => {
    const { ctx, job, instance, claims } = await claimedChunks(tmp.spool, 2);
    const [runs, orphan] = claims;
    const held: HeldChunk[] = [{ job: { id: job }, record: { id: runs!.id }, claim: claimOf(runs!), ending: false, kill: () => assert.unreachable('a live claim is not killed') }];
    const own = new OwnClaims(ctx, instance, () => held);
    await own.settleOwnEntries();
    assert.equal((await countChunks(ctx, job)).running, 2, 'first pass: nothing given back yet');
    await own.settleOwnEntries();
    const counts = await countChunks(ctx, job);
    assert.equal([counts.running, counts.queued], [1, 1], 'second pass: the orphan is back in the queue');
    const back = JSON.parse(await fs.readFile(ctx.layout.chunkFile(job, 'queued', orphan!.id), 'utf8'));
    assert.is(back.history.at(-1).outcome, 'lost');
    assert.is(back.failures, 0, 'no retry used');
  }));
});

test('an own entry whose chunk is also in done/ (a copy brought back after its end) is removed, not given back', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'copy', () => withTempSpool(async (tmp) => {
    const { ctx, job, instance, claims } = await claimedChunks(tmp.spool, 1);
    const runningDir = ctx.layout.stateDir(job, 'running');
    const [name] = await fs.readdir(runningDir);
    await fs.copyFile(path.join(runningDir, name!), ctx.layout.chunkFile(job, 'done', claims[0]!.id));
    const own = new OwnClaims(ctx, instance, () => []);
    own.claimTried();
    await own.settleOwnEntries();
    await own.settleOwnEntries();
    const counts = await countChunks(ctx, job);
    assert.equal([counts.running, counts.queued, counts.done], [0, 0, 1]);
  }));
});

test('a node that tried no claim lists no running/ folder; after one it checks until passes come back clean', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'idle', () => withTempSpool(async (tmp) => {
    const { ctx, job, instance } = await claimedChunks(tmp.spool, 1);
    const idle = new OwnClaims(ctx, instance, () => []);
    assert.ok(idle.quiet());
    await idle.settleOwnEntries();
    await idle.settleOwnEntries();
    assert.is((await countChunks(ctx, job)).running, 1, 'no claim tried by this object: its passes list nothing (issue 17)');
    const own = new OwnClaims(ctx, instance, () => []);
    own.claimTried();
    assert.not.ok(own.quiet(), 'a claim was tried: not quiet until checked');
    for (let pass = 0; pass < 4; pass++) await own.settleOwnEntries();
    assert.equal((await countChunks(ctx, job)).queued, 1, 'the stray was found and given back');
    for (let pass = 0; pass < 4; pass++) await own.settleOwnEntries();
    assert.ok(own.quiet(), 'clean passes since: quiet');
  }));
});

test('an end left pending is recorded at the next pass', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'pending', () => withTempSpool(async (tmp) => {
    const { ctx, job, instance, claims } = await claimedChunks(tmp.spool, 1);
    const own = new OwnClaims(ctx, instance, () => []);
    own.leave({ job, chunk: claims[0]!.id, claim: claimOf(claims[0]!), end: { outcome: 'done' }, options: { retries: 0 } });
    await own.settleOwnEntries();
    assert.equal((await countChunks(ctx, job)).done, 1);
  }));
});

test('a chunk run here whose claim left running/ is killed', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'gone', () => withTempSpool(async (tmp) => {
    const { ctx, job, instance, claims } = await claimedChunks(tmp.spool, 1);
    const record = claims[0]!;
    const { own, killed } = watching(ctx, job, instance, record);
    assert.is(own.killUnclaimed(), 0);
    // taken over: another node's reaper ended the attempt and requeued it
    const running = path.join(ctx.layout.stateDir(job, 'running'), (await fs.readdir(ctx.layout.stateDir(job, 'running')))[0]!);
    await fs.rename(running, ctx.layout.chunkFile(job, 'queued', record.id));
    assert.is(own.killUnclaimed(), 1);
    assert.match(killed[0]!, /claim is gone/);
  }));
});

test('a chunk run here that is also found in another state (a copy of its running file brought back) is killed', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'copy elsewhere', () => withTempSpool(async (tmp) => {
    const { ctx, job, instance, claims } = await claimedChunks(tmp.spool, 1);
    const record = claims[0]!;
    const { own, killed } = watching(ctx, job, instance, record);
    const running = path.join(ctx.layout.stateDir(job, 'running'), (await fs.readdir(ctx.layout.stateDir(job, 'running')))[0]!);
    await fs.copyFile(running, ctx.layout.chunkFile(job, 'queued', record.id));
    assert.is(own.killUnclaimed(), 1);
    assert.match(killed[0]!, /in queued\/ too/);
  }));
});

test.run();
