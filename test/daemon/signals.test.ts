// SIGTERM drains a node: running chunks finish and are recorded, nothing new is claimed, the node
// deregisters and exits 0. A second SIGTERM stops the running chunks and gives them back to the queue.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, killMatching, Ledger, processesMatching, showJob, submitExec, waitUntil, withTempSpool, withTimeout } from '../support/index.js';

const TEST_TIMEOUT_MS = 60_000;

const exists = (file: string) => fs.stat(file).then(() => true, () => false);

test('SIGTERM while a chunk runs: it finishes and is done, nothing new is claimed, the node exits 0 and removes its record', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'drain', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const job = await submitExec(tmp.spool, ['--frames', '1-2', '--chunk', '1', '--retries', '0'], ledger.command(15, 0.1));
    const fleet = new Fleet(tmp.spool);
    try {
      const node = fleet.start('drainer');
      const record = path.join(tmp.spool, 'nodes', 'drainer.json');
      await waitUntil('a chunk to start', async () => (await ledger.events()).some((e) => e.kind === 'START'), 15_000, 50);
      assert.ok(await exists(record), 'registered while running');
      await node.kill('SIGTERM');
      const exit = await node.waitExit(20_000);
      assert.equal(exit, { code: 0, signal: null }, node.stderr);
      assert.match(node.stderr, /stopping: no new chunks; 1 running chunk\(s\) will finish/);

      const attempts = await ledger.attempts();
      assert.is(attempts.length, 1, 'the second chunk was not claimed');
      assert.ok(attempts[0].completed, 'the running chunk ran to its end');
      const shown = await showJob(tmp.spool, job);
      const running = shown.chunkList.find((c) => c.id === attempts[0].chunk)!;
      assert.is(running.state, 'done');
      assert.equal(shown.chunks, { total: 2, queued: 1, running: 0, done: 1, failed: 0 });
      assert.not.ok(await exists(record), 'deregistered: nodes/drainer.json removed');
    } finally {
      await fleet.stopAll();
      await killMatching(ledger.marker);
    }
  }));
});

test('a second SIGTERM: the running chunk is stopped and back in the queue (not failed), the node exits 0', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'second sigterm', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const job = await submitExec(tmp.spool, ['--frames', '1', '--retries', '0'], ledger.command(300, 0.1));
    const fleet = new Fleet(tmp.spool);
    try {
      const node = fleet.start('stopper', { env: { RENDERD_LOG_DECISIONS: '1' } });
      await waitUntil('the chunk to start', async () => (await ledger.events()).some((e) => e.kind === 'START'), 15_000, 50);
      await node.kill('SIGTERM');
      await node.waitForLine(/stopping: no new chunks/, 5000);
      // the loop has looked since: it keeps its chunk and waits (it exits once nothing runs)
      await node.waitForLine(/decision: rest: stopping, 1 running/, 5000);
      assert.ok(node.running, 'still running its chunk after one SIGTERM');
      await node.kill('SIGTERM');
      const exit = await node.waitExit(15_000);
      assert.equal(exit, { code: 0, signal: null }, node.stderr);
      assert.match(node.stderr, /stopping now: giving back 1 running chunk\(s\)/);

      const attempts = await ledger.attempts();
      assert.is(attempts.length, 1);
      assert.not.ok(attempts[0].completed, 'the hook was stopped before its end');
      assert.equal(await processesMatching(ledger.marker), [], 'the hook\'s processes are gone');
      const shown = await showJob(tmp.spool, job);
      assert.is(shown.chunkList[0].state, 'queued', `chunk: ${JSON.stringify(shown.chunkList[0])}`);
      assert.is(shown.chunkList[0].failures, 0, 'a stop is not a failure');
      assert.is(shown.state, 'queued');
      assert.not.ok(await exists(path.join(tmp.spool, 'nodes', 'stopper.json')), 'deregistered');
    } finally {
      await fleet.stopAll();
      await killMatching(ledger.marker);
    }
  }));
});

test.run();
