// Time and failure rules on a real node: --retry-delay spaces attempts, --max-failed fails a job early
// (and `render retry` clears it), --silence-timeout fails a hook that goes quiet, --start-at holds a job back.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, Ledger, renderJson, runRender, showJob, sleep, submitExec, waitUntil, withTempSpool, withTimeout } from '../support/index.js';
import { goesQuiet, ledgerLength, ledgerThen, waitForJob } from '../scheduling-support.js';

const TEST_TIMEOUT_MS = 40_000;

test('--retries 1 --retry-delay 2s: the second attempt starts at least 2 s after the first ended', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'retry delay', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const job = await submitExec(tmp.spool, ['--retries', '1', '--retry-delay', '2s'], ledgerThen(ledger, 'exit 1'), { cwd: tmp.dir });
    const fleet = new Fleet(tmp.spool);
    try {
      const node = fleet.start('r1', { exitWhenIdle: true, pollMs: 100 });
      assert.equal(await node.waitExit(TEST_TIMEOUT_MS - 5000), { code: 0, signal: null }, node.stderr.slice(-2000));
      const attempts = (await ledger.attempts()).sort((a, b) => a.attempt - b.attempt);
      assert.equal(attempts.map((a) => a.attempt), [1, 2]);
      const gapMs = (attempts[1].firstUs - attempts[0].lastUs) / 1000;
      console.log(`    retry delay: second attempt ${gapMs.toFixed(0)} ms after the first ended`);
      assert.ok(gapMs >= 2000, `waited ${gapMs} ms, at least 2000 expected`);
      assert.ok(gapMs < 15_000, `waited ${gapMs} ms: the retry should not be held back much longer`);
      const shown = await showJob(tmp.spool, job);
      assert.is(shown.state, 'failed');
      assert.is(shown.chunkList[0].failures, 2);
    } finally {
      await fleet.stopAll();
    }
  }));
});

test('--max-failed 2: the job fails early, the rest stays queued and nothing more runs; render retry clears it', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'max-failed', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const SLOTS = 2;
    const job = await submitExec(tmp.spool, ['--frames', '1-10', '--chunk', '1', '--retries', '0', '--max-failed', '2'], ledgerThen(ledger, 'exit 1', 1, 0.2), { cwd: tmp.dir });
    const fleet = new Fleet(tmp.spool);
    try {
      const node = fleet.start('f1', { slots: SLOTS, exitWhenIdle: true });
      assert.equal(await node.waitExit(TEST_TIMEOUT_MS / 2), { code: 0, signal: null }, `the node exits: nothing runnable is left\n${node.stderr.slice(-2000)}`);
      const shown = await showJob(tmp.spool, job);
      assert.is(shown.state, 'failed');
      const { failed, queued, running, done } = shown.chunks;
      assert.ok(failed >= 2 && failed <= 2 + SLOTS, `failed ${failed}: at least 2, at most 2 + slots`);
      assert.equal({ queued, running, done }, { queued: 10 - failed, running: 0, done: 0 });
      const ran = await ledgerLength(ledger);
      assert.is((await ledger.attempts()).length, failed, 'every attempt that ran is a failed chunk');
      assert.ok(node.lines(/--max-failed 2/).length === 1, 'the node says why the job failed');

      // a node coming along later finds nothing to do
      const late = fleet.start('f2', { exitWhenIdle: true });
      assert.equal(await late.waitExit(10_000), { code: 0, signal: null });
      assert.is(await ledgerLength(ledger), ran, 'nothing more ran');

      const retry = await runRender(['--spool', tmp.spool, 'retry', job]);
      assert.is(retry.code, 0, retry.stderr);
      const requeued = await showJob(tmp.spool, job);
      assert.is(requeued.state, 'queued');
      assert.equal(requeued.chunks, { total: 10, queued: 10, running: 0, done: 0, failed: 0 });

      // cleared: a node runs the job again (and it fails early again, being what it is)
      const again = fleet.start('f3', { slots: SLOTS, exitWhenIdle: true });
      assert.equal(await again.waitExit(TEST_TIMEOUT_MS / 3), { code: 0, signal: null });
      assert.ok((await ledgerLength(ledger)) > ran, 'chunks ran again after render retry');
      assert.is((await showJob(tmp.spool, job)).state, 'failed');
    } finally {
      await fleet.stopAll();
    }
  }));
});

test('--silence-timeout 1s: a hook that prints once then sleeps 5 s is failed for its silence', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'silence timeout', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const job = await submitExec(tmp.spool, ['--retries', '0', '--silence-timeout', '1s'], goesQuiet(ledger, 5), { cwd: tmp.dir });
    const fleet = new Fleet(tmp.spool);
    try {
      fleet.start('s1', { pollMs: 100 });
      const start = await waitUntil('the hook to start', async () => (await ledger.events()).find((e) => e.kind === 'START'), 15_000, 50);
      const shown = await waitForJob(tmp.spool, job, 'failed', (s) => s.state === 'failed' || s.state === 'done', 15_000);
      const tookMs = Date.now() - start.timeUs / 1000;
      console.log(`    silence timeout: failed ${tookMs.toFixed(0)} ms after the hook started`);
      assert.is(shown.state, 'failed');
      assert.match(shown.chunkList[0].error ?? '', /silence/);
      assert.equal((await ledger.events()).map((e) => e.kind), ['START'], 'the hook was cut short: it never wrote END');
    } finally {
      await fleet.stopAll();
    }
  }));
});

test('--start-at +3s: not started before 3 s after submission', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'start-at', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const fleet = new Fleet(tmp.spool);
    try {
      const node = fleet.start('t1', { pollMs: 100 });
      await node.waitForLine(/node t1 up/, 15_000);
      const submittedMs = Date.now();
      const job = await submitExec(tmp.spool, ['--start-at', '+3s'], ledger.command(), { cwd: tmp.dir });
      // "+3s" is resolved by `render exec` itself, which starts (late under load) after submittedMs
      const startAtMs = Date.parse((await renderJson<{ startAt: string }>(tmp.spool, ['show', job])).startAt);
      assert.ok(startAtMs >= submittedMs + 3000, `start time ${new Date(startAtMs).toISOString()} is 3 s after submission`);
      // a look taken wholly before the start time must find it waiting (under load there may be no such look)
      const seen = await showJob(tmp.spool, job);
      if (Date.now() < startAtMs) assert.is(seen.state, 'queued', 'still waiting before its start time');
      const done = await waitForJob(tmp.spool, job, 'done', (s) => s.state === 'done', 20_000);
      const claimedMs = Date.parse(done.chunkList[0].startedAt!);
      const [attempt] = await ledger.attempts();
      console.log(`    start-at: claimed ${claimedMs - startAtMs} ms after its start time, ${claimedMs - submittedMs} ms after submission`);
      assert.ok(claimedMs >= startAtMs, `claimed at ${done.chunkList[0].startedAt}, not before its start time ${new Date(startAtMs).toISOString()}`);
      assert.ok(attempt.firstUs >= startAtMs * 1000, `the hook started ${(startAtMs * 1000 - attempt.firstUs) / 1000} ms before the start time`);
    } finally {
      await fleet.stopAll();
    }
  }));
});

test.run();
