// --max-nodes 2 on a farm of 4: at no instant do more than 2 distinct nodes run the job's chunks
// (checked in ledger order, which is the true order of events on this machine).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { completionProblems, Fleet, Ledger, overlappingAttempts, showJob, submitExec, withTempSpool, withTimeout } from '../support/index.js';
import { chunkIds, concurrencyOf } from '../scheduling-support.js';

const TEST_TIMEOUT_MS = 75_000;

test('--max-nodes 2 with 4 nodes of 2 slots: never more than 2 nodes on the job at once, all chunks done', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'max-nodes', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const job = await submitExec(tmp.spool, ['--frames', '1-12', '--chunk', '1', '--max-nodes', '2', '--retries', '0'], ledger.command(1, 1), { cwd: tmp.dir });
    const fleet = new Fleet(tmp.spool);
    try {
      for (const name of ['m1', 'm2', 'm3', 'm4']) fleet.start(name, { slots: 2, exitWhenIdle: true });
      const exits = await Promise.all(fleet.nodes.map((n) => n.waitExit(TEST_TIMEOUT_MS - 10_000)));
      exits.forEach((exit, i) => assert.equal(exit, { code: 0, signal: null }, fleet.nodes[i].stderr.slice(-2000)));

      const events = await ledger.events();
      const attempts = await ledger.attempts();
      assert.equal(completionProblems(attempts, job, chunkIds(12)), []);
      assert.equal(overlappingAttempts(attempts), []);
      const seen = concurrencyOf(events);
      assert.ok(seen.maxNodes <= 2, `at most 2 nodes at once, saw ${seen.maxNodes}`);
      assert.ok(seen.nodes.size >= 2, `the job did spread (nodes: ${[...seen.nodes].join(', ')})`);
      console.log(`    max-nodes: ${seen.nodes.size} nodes took turns, ${seen.maxNodes} at once, up to ${seen.maxAttempts} chunks at once`);
      assert.is((await showJob(tmp.spool, job)).state, 'done');
    } finally {
      await fleet.stopAll();
    }
  }));
});

test.run();
