// The claim protocol's scheduling parts on a temp spool with a fixed wall clock: a failed attempt with a
// retry delay sets retryAfter and claims before it are refused as not-yet; licence tokens are taken at the
// claim, given back at the end, and stale holders are reclaimed.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Job, NotFoundError, Spool } from '../../src/index.js';
import { endAttempt, tryClaim } from '../../src/claim/protocol.js';
import { claimOf as claimOfRecord } from '../../src/claim/transitions.js';
import { runningFileName } from '../../src/spool/running-names.js';
import { readChunks } from '../../src/jobs/read.js';
import { acquireLicense, listLicenses, requireLicense, setLicense } from '../../src/licenses/index.js';
import { testHolder as holder } from '../support/holder.js';
import { withTempSpool, withTimeout } from '../support/index.js';

const TEST_TIMEOUT_MS = 20_000;
const T = Date.UTC(2026, 10, 21, 19, 0);

/** The lock a successful claim keeps until its attempt ends. */
const heldBy = (claim: Awaited<ReturnType<typeof tryClaim>>) => (claim.ok ? claim.lock : undefined);
/** The claim an attempt's end names; a refused claim names none (its end must be fenced). */
const claimOf = (claim: Awaited<ReturnType<typeof tryClaim>>) => (claim.ok ? claimOfRecord(claim.record) : { node: '-', instance: '-', token: '-' });

async function spoolWithJob(dir: string, options: Parameters<typeof Job.exec>[1]) {
  const spool = await Spool.open(dir);
  const [job] = await spool.submit(Job.exec(['true'], options), { cwd: path.dirname(dir) });
  return { spool, ctx: spool.ctx, job: job.id };
}

test('a claim is one rename: the queued file moves, unchanged, to a name that carries the claim; readers see it running', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'claim by rename', () => withTempSpool(async (tmp) => {
    const { spool, ctx, job } = await spoolWithJob(tmp.spool, { frames: '1-2', chunk: 1 });
    const queuedFile = ctx.layout.chunkFile(job, 'queued', '0001');
    const queuedText = await fs.readFile(queuedFile, 'utf8');
    const { ino } = await fs.stat(queuedFile);

    const claim = await tryClaim(ctx, job, '0001', holder('n1'), { nowMs: T });
    assert.ok(claim.ok);
    const runningDir = path.dirname(ctx.layout.chunkFile(job, 'running', '0001'));
    const [name, ...more] = await fs.readdir(runningDir);
    assert.equal(more, []);
    assert.is(name, runningFileName('0001', claimOf(claim)));
    const moved = path.join(runningDir, name!);
    assert.is((await fs.stat(moved)).ino, ino, 'the same file, not a rewrite');
    assert.is(await fs.readFile(moved, 'utf8'), queuedText);

    const read = (await readChunks(ctx, job)).find((c) => c.id === '0001')!;
    assert.equal([read.state, read.attempt, read.holder?.node, read.token], ['running', 1, 'n1', claim.ok ? claim.record.token : '']);
    const shown = (await spool.get(job)).chunkList.find((c) => c.id === '0001')!;
    assert.equal([shown.state, shown.attempt, shown.node, typeof shown.startedAt], ['running', 1, 'n1', 'string'], 'what render show says');

    // a second claimer finds nothing to claim; once the attempt ended, a late end of the same claim is fenced
    assert.not.ok((await tryClaim(ctx, job, '0001', holder('n2'), { nowMs: T })).ok);
    const done = await endAttempt(ctx, job, '0001', claimOf(claim), { outcome: 'done' }, { retries: 0, held: heldBy(claim) });
    assert.is(done.ok && done.record.state, 'done');
    assert.equal(await fs.readdir(runningDir), []);
    assert.equal(await endAttempt(ctx, job, '0001', claimOf(claim), { outcome: 'failed', error: 'late' }, { retries: 0 }), { ok: false, reason: 'fenced' });
  }));
});

test('retry delay: a failed attempt sets retryAfter = now + delay; claims are refused until then', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'retryAfter', () => withTempSpool(async (tmp) => {
    const { ctx, job } = await spoolWithJob(tmp.spool, { retries: 1, retryDelay: '5s' });
    const end = { retries: 1, retryDelayMs: 5000 };

    const first = await tryClaim(ctx, job, '0001', holder('n1'), { nowMs: T });
    assert.ok(first.ok);
    const failed = await endAttempt(ctx, job, '0001', claimOf(first), { outcome: 'failed', error: 'exit 1' }, { ...end, nowMs: T + 100, held: heldBy(first) });
    assert.ok(failed.ok);
    assert.is(failed.ok && failed.record.state, 'queued');
    assert.is(failed.ok && failed.record.retryAfter, T + 100 + 5000);

    // [claimer's now, expected result]
    const refusals: [number, string][] = [[T + 100, 'not-yet'], [T + 5099, 'not-yet']];
    for (const [now, reason] of refusals) {
      const early = await tryClaim(ctx, job, '0001', holder('n2'), { nowMs: now });
      assert.equal(early, { ok: false, reason, retryAfter: T + 5100 }, `claim at +${now - T} ms`);
    }
    const second = await tryClaim(ctx, job, '0001', holder('n2'), { nowMs: T + 5100 });
    assert.ok(second.ok, 'claimable once the delay is over');
    assert.is(second.ok && second.record.attempt, 2);

    // the last attempt fails: failed for good, no retryAfter left behind
    const final = await endAttempt(ctx, job, '0001', claimOf(second), { outcome: 'failed', error: 'exit 1' }, { ...end, nowMs: T + 6000, held: heldBy(second) });
    assert.is(final.ok && final.record.state, 'failed');
    assert.is(final.ok && final.record.retryAfter, undefined);
  }));
});

test('retry delay applies to failures only: a lost or stopped attempt is claimable at once', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'retryAfter lost', () => withTempSpool(async (tmp) => {
    const { ctx, job } = await spoolWithJob(tmp.spool, { retries: 1, retryDelay: '5s' });
    for (const outcome of [{ outcome: 'lost' as const, error: 'node gone' }, { outcome: 'stopped' as const }]) {
      const claim = await tryClaim(ctx, job, '0001', holder('n1'), { nowMs: T });
      assert.ok(claim.ok, outcome.outcome);
      const ended = await endAttempt(ctx, job, '0001', claimOf(claim), outcome, { retries: 1, retryDelayMs: 5000, nowMs: T, held: heldBy(claim) });
      assert.is(ended.ok && ended.record.retryAfter, undefined, outcome.outcome);
      assert.is(ended.ok && ended.record.failures, 0, outcome.outcome);
    }
    assert.ok((await tryClaim(ctx, job, '0001', holder('n2'), { nowMs: T })).ok);
  }));
});

test('licence: a token per running chunk, refused when none is free, given back when the attempt ends', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'licence tokens', () => withTempSpool(async (tmp) => {
    const spool = await Spool.open(tmp.spool);
    await setLicense(spool.ctx, 'lic', 1);
    const { ctx, job } = await spoolWithJob(tmp.spool, { frames: '1-3', chunk: 1, license: 'lic' });
    const options = { license: 'lic', nowMs: T };

    const one = await tryClaim(ctx, job, '0001', holder('n1'), options);
    assert.ok(one.ok);
    const token = one.ok ? one.record.token! : '';
    assert.equal((await listLicenses(ctx)).map((l) => [l.name, l.count, l.held]), [['lic', 1, [`${job}~0001~${token}`]]]);

    assert.equal(await tryClaim(ctx, job, '0002', holder('n2'), options), { ok: false, reason: 'no-license' });
    assert.equal((await spool.get(job)).chunks.queued, 2, 'the refused chunk stays queued');

    const ended = await endAttempt(ctx, job, '0001', claimOf(one), { outcome: 'done' }, { retries: 0, license: 'lic', nowMs: T, held: heldBy(one) });
    assert.ok(ended.ok);
    assert.equal((await listLicenses(ctx))[0].held, [], 'given back at the end of the attempt');
    assert.ok((await tryClaim(ctx, job, '0002', holder('n2'), options)).ok);
  }));
});

test('licence: stale holders are reclaimed, a live one is not; count 0 never grants; unknown licence is NotFound', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'licence reclaim', () => withTempSpool(async (tmp) => {
    const spool = await Spool.open(tmp.spool);
    await setLicense(spool.ctx, 'lic', 2);
    const { ctx, job } = await spoolWithJob(tmp.spool, { frames: '1-4', chunk: 1, license: 'lic' });
    const held = path.join(ctx.layout.root, 'licenses', 'lic.held');
    const live = await tryClaim(ctx, job, '0001', holder('n1'), { license: 'lic', nowMs: T });
    assert.ok(live.ok);
    // a holder whose chunk is not running under its token (its node died before giving it back), and junk
    await fs.writeFile(path.join(held, `${job}~0002~deadbeefdeadbeef`), '');
    await fs.writeFile(path.join(held, 'junk'), '');
    assert.is((await listLicenses(ctx))[0].held.length, 3);

    assert.ok(await acquireLicense(ctx, 'lic', job, '0003', 'cafecafecafecafe'), 'the stale entries make room');
    const after = (await listLicenses(ctx))[0].held.sort();
    assert.equal(after, [`${job}~0001~${live.ok ? live.record.token : ''}`, `${job}~0003~cafecafecafecafe`].sort());

    await setLicense(ctx, 'none', 0);
    assert.is(await acquireLicense(ctx, 'none', job, '0004', 'feedfeedfeedfeed'), false);
    try {
      await requireLicense(ctx, 'nosuch');
      assert.unreachable('should have thrown');
    } catch (error) {
      assert.instance(error, NotFoundError);
      assert.match((error as Error).message, /render license set nosuch COUNT/);
    }
  }));
});

test.run();
