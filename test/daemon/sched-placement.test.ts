// Where a job may run: --pool only on nodes of that pool, --tags only on nodes with all the tags,
// --min-ram only on nodes with that much memory (1T: nowhere — it stays queued, and idle nodes still exit).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { completionProblems, Fleet, Ledger, showJob, submitExec, withTempSpool, withTimeout } from '../support/index.js';
import { chunkIds } from '../scheduling-support.js';

const TEST_TIMEOUT_MS = 60_000;

test('pool, tags and min-ram: each job runs only where it fits; a 1T job stays queued and nodes exit 0', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'placement', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const work = ledger.command(1, 0.2);
    const opts = { cwd: tmp.dir };
    const gpuJob = await submitExec(tmp.spool, ['--frames', '1-4', '--chunk', '1', '--pool', 'gpu', '--name', 'gpu-only'], work, opts);
    const tagJob = await submitExec(tmp.spool, ['--frames', '1-4', '--chunk', '1', '--tags', 'a,b', '--name', 'needs-a-b'], work, opts);
    const bigJob = await submitExec(tmp.spool, ['--frames', '1-2', '--chunk', '1', '--min-ram', '1T', '--name', 'huge'], work, opts);
    const anyJob = await submitExec(tmp.spool, ['--frames', '1-4', '--chunk', '1', '--min-ram', '1M', '--name', 'anywhere'], work, opts);
    const fleet = new Fleet(tmp.spool);
    try {
      fleet.start('plain', { exitWhenIdle: true });
      fleet.start('gpu1', { exitWhenIdle: true, extraArgs: ['--pool', 'gpu'] });
      fleet.start('tagged', { exitWhenIdle: true, extraArgs: ['--tags', 'c,b,a'] });
      fleet.start('onlya', { exitWhenIdle: true, extraArgs: ['--tags', 'a'] });
      const exits = await Promise.all(fleet.nodes.map((n) => n.waitExit(TEST_TIMEOUT_MS - 10_000)));
      exits.forEach((exit, i) => assert.equal(exit, { code: 0, signal: null }, `${fleet.nodes[i].name} exits 0 with the 1T job still queued:\n${fleet.nodes[i].stderr.slice(-2000)}`));

      const attempts = await ledger.attempts();
      const nodesOf = (job: string) => [...new Set(attempts.filter((a) => a.job === job).map((a) => a.node))].sort();
      assert.equal(completionProblems(attempts, gpuJob, chunkIds(4)), []);
      assert.equal(nodesOf(gpuJob), ['gpu1'], '--pool gpu ran only on the gpu node');
      assert.equal(completionProblems(attempts, tagJob, chunkIds(4)), []);
      assert.equal(nodesOf(tagJob), ['tagged'], '--tags a,b ran only on the node with both tags');
      assert.equal(completionProblems(attempts, anyJob, chunkIds(4)), []);
      assert.equal(nodesOf(bigJob), [], '--min-ram 1T ran nowhere');

      const big = await showJob(tmp.spool, bigJob);
      assert.is(big.state, 'queued');
      assert.equal(big.chunks, { total: 2, queued: 2, running: 0, done: 0, failed: 0 });
      for (const job of [gpuJob, tagJob, anyJob]) assert.is((await showJob(tmp.spool, job)).state, 'done');
    } finally {
      await fleet.stopAll();
    }
  }));
});

test.run();
