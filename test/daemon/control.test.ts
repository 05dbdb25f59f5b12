// Users pause, resume and remove jobs while a node runs their chunks.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, killMatching, Ledger, processesMatching, renderJson, runRender, showJob, submitExec, waitUntil, withTempSpool, withTimeout } from '../support/index.js';

const TEST_TIMEOUT_MS = 60_000;
const STOP_WITHIN_MS = 3000;

test('pause stops a running long chunk within ~2 s and puts it back in the queue; resume finishes it', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'pause', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    // 30 s on the first attempt, quick afterwards
    const job = await submitExec(tmp.spool, ['--frames', '1', '--retries', '0'], ledger.command(300, 0.1, 2));
    const fleet = new Fleet(tmp.spool);
    try {
      const node = fleet.start('p1');
      await waitUntil('the chunk to start', async () => (await processesMatching(ledger.marker)).length > 0 && (await ledger.events()).length > 0, 15_000, 50);
      const paused = await runRender(['--spool', tmp.spool, 'pause', job]);
      assert.is(paused.code, 0, paused.stderr);
      const pausedAt = performance.now();
      await waitUntil('the hook to stop', async () => (await processesMatching(ledger.marker)).length === 0, 10_000, 50);
      const stopMs = performance.now() - pausedAt;
      assert.ok(stopMs < STOP_WITHIN_MS, `stopped after ${Math.round(stopMs)} ms`);
      console.log(`    pause: hook stopped ${Math.round(stopMs)} ms after render pause`);
      const shown = await waitUntil('the chunk to be back in the queue', async () => {
        const s = await showJob(tmp.spool, job);
        return s.chunkList[0].state === 'queued' ? s : false;
      }, 5000, 100);
      assert.is(shown.state, 'paused');
      assert.is(shown.chunkList[0].failures, 0, 'a pause is not a failure');
      assert.match(node.stderr, /attempt 1: stopped — job paused/);
      const attemptsWhilePaused = (await ledger.attempts()).length;

      const resumed = await runRender(['--spool', tmp.spool, 'resume', job]);
      assert.is(resumed.code, 0, resumed.stderr);
      const done = await waitUntil('the job to finish', async () => {
        const s = await showJob(tmp.spool, job);
        return s.state === 'done' ? s : false;
      }, 20_000, 100);
      assert.is(done.chunkList[0].attempt, 2);
      const attempts = await ledger.attempts();
      assert.is(attemptsWhilePaused, 1, 'nothing ran while paused');
      assert.equal(attempts.map((a) => [a.attempt, a.completed]), [[1, false], [2, true]]);
    } finally {
      await fleet.stopAll();
      await killMatching(ledger.marker);
    }
  }));
});

test('remove stops a running chunk, the job disappears from render list --json, the node carries on', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'remove', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const job = await submitExec(tmp.spool, ['--frames', '1-3', '--chunk', '1', '--retries', '0', '--name', 'doomed'], ledger.command(300, 0.1));
    const fleet = new Fleet(tmp.spool);
    try {
      const node = fleet.start('r1');
      await waitUntil('a chunk to start', async () => (await processesMatching(ledger.marker)).length > 0 && (await ledger.events()).length > 0, 15_000, 50);
      const removed = await runRender(['--spool', tmp.spool, 'remove', job]);
      assert.is(removed.code, 0, removed.stderr);
      const removedAt = performance.now();
      await waitUntil('the hook to stop', async () => (await processesMatching(ledger.marker)).length === 0, 10_000, 50);
      const stopMs = performance.now() - removedAt;
      assert.ok(stopMs < STOP_WITHIN_MS, `stopped after ${Math.round(stopMs)} ms`);
      console.log(`    remove: hook stopped ${Math.round(stopMs)} ms after render remove`);
      assert.equal(await renderJson(tmp.spool, ['list']), []);
      assert.equal(await fs.readdir(path.join(tmp.spool, 'jobs')), []);
      const show = await runRender(['--spool', tmp.spool, 'show', job]);
      assert.is(show.code, 2);

      // the node is unharmed and runs the next job
      const next = await submitExec(tmp.spool, ['--frames', '1-2', '--chunk', '1'], ledger.command(0));
      await waitUntil('the next job to finish', async () => (await showJob(tmp.spool, next)).state === 'done', 15_000, 100);
      assert.ok(node.running);
      assert.equal(node.lines(/fatal|Error|result not recorded/), []);
      assert.equal((await ledger.attempts()).filter((a) => a.job === job).map((a) => a.completed), [false], 'only the one chunk had started, and it never finished');
    } finally {
      await fleet.stopAll();
      await killMatching(ledger.marker);
    }
  }));
});

test.run();
