// Eight real renderd processes race for one job of 1,000 one-frame chunks on one spool. Every chunk must
// run to completion exactly once, and no two attempts of a chunk may overlap (invariant 2).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { completionProblems, Fleet, Ledger, overlappingAttempts, showJob, submitExec, withTempSpool, withTimeout } from '../support/index.js';

const NODES = 8;
// 1,000 contested claims make the race (~20 s on a quiet 2-core machine); the timeout leaves room for a
// machine ten times as loaded (measured: 137 s at a load average of 27), where every process is that much slower
const CHUNKS = 1000;
const TEST_TIMEOUT_MS = 360_000;

test(`${NODES} nodes, ${CHUNKS} chunks: each done exactly once, no overlapping attempts`, async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'race', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const job = await submitExec(tmp.spool, ['--frames', `1-${CHUNKS}`, '--chunk', '1', '--retries', '0', '--name', 'race'], ledger.command());
    const fleet = new Fleet(tmp.spool);
    const started = performance.now();
    try {
      for (let i = 1; i <= NODES; i++) fleet.start(`race${i}`, { exitWhenIdle: true });
      const exits = await Promise.all(fleet.nodes.map((n) => n.waitExit(TEST_TIMEOUT_MS - 10_000)));
      const seconds = ((performance.now() - started) / 1000).toFixed(1);
      console.log(`    race: ${CHUNKS} chunks on ${NODES} nodes in ${seconds}s`);
      exits.forEach((exit, i) => assert.equal(exit, { code: 0, signal: null }, `node ${fleet.nodes[i].name}:\n${fleet.nodes[i].stderr.slice(-3000)}`));

      const attempts = await ledger.attempts();
      const expected = Array.from({ length: CHUNKS }, (_, i) => String(i + 1).padStart(4, '0'));
      assert.equal(completionProblems(attempts, job, expected), [], 'ledger: every chunk completed once');
      assert.is(attempts.length, CHUNKS, 'no chunk started twice');
      assert.equal(overlappingAttempts(attempts, { byTime: true }), []);
      assert.ok(attempts.every((a) => a.attempt === 1), 'every chunk on its first attempt');

      const shown = await showJob(tmp.spool, job);
      assert.is(shown.state, 'done');
      assert.equal(shown.chunks, { total: CHUNKS, queued: 0, running: 0, done: CHUNKS, failed: 0 });
      assert.ok(shown.chunkList.every((c) => c.state === 'done' && c.attempt === 1), 'render show: every chunk done on attempt 1');

      // the race was real: several nodes did work, and every chunk's recorded node is the one that ran it
      const byNode = new Map<string, number>();
      for (const a of attempts) byNode.set(a.node, (byNode.get(a.node) ?? 0) + 1);
      assert.ok(byNode.size >= NODES / 2, `work spread over ${byNode.size} nodes`);
      const ranOn = new Map(attempts.map((a) => [a.chunk, a.node]));
      assert.ok(shown.chunkList.every((c) => c.node === ranOn.get(c.id)), 'show names the node that ran each chunk');

      const fenced = fleet.nodes.flatMap((n) => n.lines(/result not recorded|compromised|broke lock|fatal/));
      assert.equal(fenced, [], 'no lost claims, broken locks or crashes in a race with no failures');
    } finally {
      await fleet.stopAll();
    }
  }));
});

test.run();
