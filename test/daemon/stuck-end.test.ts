// Issue 15, item 4: one error while recording an attempt's end must not leave the chunk in running/ until
// the node restarts. A real renderd runs a one-chunk job; as the chunk runs, its job's done/ folder is made
// immutable (chattr +i: even root gets EPERM moving a file into it). The node retries the end with backoff;
// once the folder is writable again the chunk ends as done, and the node exits on its own (--exit-when-idle).
import path from 'node:path';
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, Ledger, showJob, sleep, submitExec, waitUntil, withTempSpool, withTimeout } from '../support/index.js';
import { chattr, chattrMissing } from '../support/chattr.js';
import { gate } from '../support/requires.js';

const TEST_TIMEOUT_MS = 60_000;

const test = gate(uvuTest, 'chattr +i', chattrMissing());

test('EPERM at an attempt\'s end: the node retries, and the chunk ends done without a restart', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'stuck end', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const job = await submitExec(tmp.spool, ['--frames', '1', '--retries', '0', '--name', 'stuck'], ledger.command(10, 0.1));
    const done = path.join(tmp.spool, 'jobs', job, 'done');
    const fleet = new Fleet(tmp.spool);
    let immutable = false;
    try {
      const node = fleet.start('solo', { exitWhenIdle: true });
      await waitUntil('the chunk to start', async () => (await ledger.events()).some((e) => e.kind === 'START'), 20_000, 20);
      chattr('+i', done);
      immutable = true;
      await node.waitForLine(/could not record its end \(.*EPERM/, 20_000);
      await sleep(1500); // the fault itself: EPERM lasts 1.5 s more, through a few more tries (200, 400, 800 ms apart)
      const shownMeanwhile = await showJob(tmp.spool, job);
      assert.is(shownMeanwhile.chunks.running, 1, 'while the fault lasts the chunk is still running (its node holds it)');
      chattr('-i', done);
      immutable = false;
      const recovered = performance.now();
      assert.equal(await node.waitExit(30_000), { code: 0, signal: null }, node.stderr);
      console.log(`    stuck end: recorded ${((performance.now() - recovered) / 1000).toFixed(1)} s after the fault cleared (node exited)`);
      assert.ok(node.lines(/its end recorded at try \d+/).length === 1, node.stderr);
      const shown = await showJob(tmp.spool, job);
      assert.equal(shown.chunks, { total: 1, queued: 0, running: 0, done: 1, failed: 0 });
      assert.is(shown.state, 'done');
      assert.is((await ledger.attempts()).length, 1, 'the chunk ran once');
    } finally {
      if (immutable) chattr('-i', done);
      await fleet.stopAll();
    }
  }));
});

test.run();
