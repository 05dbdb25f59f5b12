// The blocklist: a node that failed a job's chunks twice stops taking that job and healthy nodes finish
// it; when it is the only node, the escape hatch lets it keep trying so the job ends failed, not stranded.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, Ledger, showJob, submitExec, withTempSpool, withTimeout } from '../support/index.js';
import { isFinished, ledgerThen, waitForJob } from '../scheduling-support.js';

const TEST_TIMEOUT_MS = 40_000;
// the command fails on node x only (after xSeconds: more than the finder's 1 s rule cache over 2 failures
// lets the blocklist see them); y's chunks take a while, so x is free to come back for more
const failOnX = (xSeconds: number) => `[ "$RENDER_NODE" = x ] && { sleep ${xSeconds}; exit 1; }; sleep 0.5; exit 0`;

/** Runs a 6-chunk job (--retries 3) on y, then x once y is registered; returns x's attempts and the job. */
async function runOnXAndY(xSeconds: number) {
  return withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const fleet = new Fleet(tmp.spool);
    try {
      const job = await submitExec(tmp.spool, ['--frames', '1-6', '--chunk', '1', '--retries', '3'], ledgerThen(ledger, failOnX(xSeconds)), { cwd: tmp.dir });
      // y first: x's view of the live nodes (for the escape hatch) includes y from its first sweep
      const y = fleet.start('y', { exitWhenIdle: true });
      await y.waitForLine(/node y up/, 15_000);
      const x = fleet.start('x', { exitWhenIdle: true });
      const exits = await Promise.all([x, y].map((n) => n.waitExit(TEST_TIMEOUT_MS - 10_000)));
      exits.forEach((exit, i) => assert.equal(exit, { code: 0, signal: null }, [x, y][i].stderr.slice(-2000)));
      const onX = (await ledger.attempts()).filter((a) => a.node === 'x');
      return { onX, shown: await showJob(tmp.spool, job) };
    } finally {
      await fleet.stopAll();
    }
  });
}

test('x fails (after 0.6 s) twice, then stops taking the job; y does every chunk; the job ends done', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'blocklist', async () => {
    const { onX, shown } = await runOnXAndY(0.6);
    assert.ok(onX.length >= 1, 'x did take the job at first');
    assert.ok(onX.length <= 2, `x ran ${onX.length} attempts (${onX.map((a) => `${a.chunk}#${a.attempt}`).join(', ')}); blocklisted after 2 failures it should take no more`);
    assert.is(shown.state, 'done', JSON.stringify(shown.chunkList.map((c) => [c.id, c.state, c.failures, c.error])));
    assert.ok(shown.chunkList.every((c) => c.node === 'y'), 'every chunk was done by y');
  });
});

// BUG: a node that fails fast is not blocklisted: the finder caches each job's failure counts for
// RULE_CACHE_MS (1 s) and does not count its own new failures, so x burns through every retry of every
// chunk it can reach within that second (16 failed attempts in 0.6 s seen), and chunks end failed
// although y is healthy and idle-waiting.
test('x fails at once: still no more than 2 attempts on x, and y does every chunk', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'blocklist, fast failures', async () => {
    const { onX, shown } = await runOnXAndY(0);
    assert.ok(onX.length <= 2, `x ran ${onX.length} attempts (${onX.map((a) => `${a.chunk}#${a.attempt}`).join(', ')}); blocklisted after 2 failures it should take no more`);
    assert.is(shown.state, 'done', JSON.stringify(shown.chunkList.map((c) => [c.id, c.state, c.failures, c.node])));
  });
});

test('only x on the farm: the escape hatch lets it keep trying, every attempt is used and the job ends failed', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'blocklist escape hatch', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const job = await submitExec(tmp.spool, ['--frames', '1-2', '--chunk', '1', '--retries', '3'], ledgerThen(ledger, failOnX(0.4)), { cwd: tmp.dir });
    const fleet = new Fleet(tmp.spool);
    try {
      const x = fleet.start('x', { exitWhenIdle: true });
      const exit = await x.waitExit(TEST_TIMEOUT_MS - 10_000);
      assert.equal(exit, { code: 0, signal: null }, x.stderr.slice(-2000));
      const attempts = await ledger.attempts();
      assert.is(attempts.length, 8, '2 chunks x (1 + 3 retries), all on x');
      const shown = await showJob(tmp.spool, job);
      assert.is(shown.state, 'failed');
      assert.equal(shown.chunks, { total: 2, queued: 0, running: 0, done: 0, failed: 2 });
      assert.ok(shown.chunkList.every((c) => c.failures === 4 && c.attempt === 4));
    } finally {
      await fleet.stopAll();
    }
  }));
});

// BUG: a node that died without deregistering (SIGKILL, crash, power cut) keeps its record in nodes/ for
// ever, and the escape hatch counts every registered node as live: the dead node looks healthy, so x stays
// blocklisted and the job is stranded — queued for ever, with x idle.
test('only x alive, a dead node still registered: the escape hatch still lets x finish the job (failed)', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'escape hatch with a dead node', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const fleet = new Fleet(tmp.spool);
    try {
      const dead = fleet.start('y');
      await dead.waitForLine(/node y up/, 15_000);
      await dead.kill('SIGKILL');
      await dead.waitExit(5000);
      const job = await submitExec(tmp.spool, ['--frames', '1-2', '--chunk', '1', '--retries', '3'], ledgerThen(ledger, failOnX(0.4)), { cwd: tmp.dir });
      fleet.start('x', { exitWhenIdle: true });
      const shown = await waitForJob(tmp.spool, job, 'to end', isFinished, 15_000).catch(async (error) => {
        const now = await showJob(tmp.spool, job);
        throw new Error(`${(error as Error).message}: stranded ${JSON.stringify(now.chunks)} after ${(await ledger.attempts()).length} attempts on x`);
      });
      assert.is(shown.state, 'failed');
      assert.is((await ledger.attempts()).length, 8);
    } finally {
      await fleet.stopAll();
    }
  }));
});

test.run();
