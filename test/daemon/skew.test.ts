// Clock skew (invariant 4): three nodes whose clocks differ by ±10 minutes (libfaketime) share one job:
// no chunk runs twice at once and nothing is stranded. The skewed nodes run in pid namespaces of their
// own when the machine allows it, so the others cannot check their pids and must judge them by
// heartbeat — as for a node on another host. Then a skewed node is SIGKILLed mid-chunk: the others
// recover its chunk within the heartbeat window, timed on their own clocks.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  canUnsharePids, completionProblems, Fleet, killMatching, Ledger, overlappingAttempts, processesOfNode,
  submitExec, waitJobEnded, waitUntil, withTempSpool, withTimeout,
} from '../support/index.js';
import { NODE_SILENT_MS } from '../../src/liveness/judge.js';

const TEST_TIMEOUT_MS = 150_000;
const ISOLATE = canUnsharePids();
const chunkIds = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1).padStart(4, '0'));

test(`nodes at +10m, -10m and true time${ISOLATE ? ' (skewed ones in their own pid namespaces)' : ''}: no double run, nothing stranded; a killed skewed node's chunk is recovered`, async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'clock skew', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const fleet = new Fleet(tmp.spool);
    try {
      const ahead = fleet.start('ahead', { faketime: '+10m', ownPidNamespace: ISOLATE });
      const behind = fleet.start('behind', { faketime: '-10m', ownPidNamespace: ISOLATE });
      const normal = fleet.start('normal');
      // the skew is real: each node's records carry its own wall clock
      await waitUntil('all three nodes up', () => [ahead, behind, normal].every((n) => /node \S+ up/.test(n.stderr)), 20_000);
      const stamp = (text: string) => Date.parse(/^(\S+) renderd/.exec(text)![1]);
      const skewAhead = stamp(ahead.stderr) - stamp(normal.stderr);
      const skewBehind = stamp(behind.stderr) - stamp(normal.stderr);
      assert.ok(skewAhead > 9 * 60_000 && skewAhead < 11 * 60_000, `ahead by ${skewAhead} ms`);
      assert.ok(skewBehind < -9 * 60_000 && skewBehind > -11 * 60_000, `behind by ${skewBehind} ms`);

      // phase 1: short chunks shared by all three
      const CHUNKS = 60;
      const job = await submitExec(tmp.spool, ['--frames', `1-${CHUNKS}`, '--chunk', '1', '--retries', '0'], ledger.command(2, 0.1));
      const done = await waitJobEnded(tmp.spool, job, 60_000, 250, 'the short job to finish');
      assert.equal(done.chunks, { total: CHUNKS, queued: 0, running: 0, done: CHUNKS, failed: 0 }, fleet.logs().slice(-3000));
      const attempts = await ledger.attempts();
      // line order only: hooks inherit their node's skewed clock, so their timestamps cannot be compared
      assert.equal(overlappingAttempts(attempts), []);
      assert.equal(completionProblems(attempts, job, chunkIds(CHUNKS)), []);
      assert.is(attempts.length, CHUNKS, 'no chunk started twice');
      for (const name of ['ahead', 'behind', 'normal']) assert.ok(attempts.some((a) => a.node === name), `${name} ran chunks`);
      assert.equal(fleet.nodes.flatMap((n) => n.lines(/is gone|broke lock|result not recorded|compromised|fatal/)), [], 'no live node judged dead, no lock broken');

      // phase 2: SIGKILL the node that is ahead while it runs a long chunk; the others take it over
      const long = await submitExec(tmp.spool, ['--frames', '1-4', '--chunk', '1', '--retries', '0', '--name', 'long'], ledger.command(30, 0.1));
      const victim = await waitUntil('ahead to be mid-chunk', async () =>
        (await ledger.attempts()).find((a) => a.job === long && a.node === 'ahead' && !a.completed), 20_000, 50);
      await ahead.kill('SIGKILL');
      await ahead.waitExit(5000);
      const killedAt = performance.now();
      await waitUntil('ahead\'s hooks to die with it', async () => (await processesOfNode(ledger.marker, 'ahead')).length === 0, 5000, 50);

      await waitUntil(`chunk ${victim.chunk} to be re-run by another node`, async () =>
        // recovery is printed, not asserted: it takes the window and a sweep or two (16-17 s here); one CI run
        // of this session saw none within 40 s, cause not found — its nodes' logs are printed if it recurs
        (await ledger.attempts()).some((a) => a.job === long && a.chunk === victim.chunk && a.attempt === victim.attempt + 1 && a.first > victim.last), 60_000, 100)
        .catch((error: Error) => { throw new Error(`${error.message}\n${fleet.logs().slice(-6000)}`); });
      const recoverySeconds = (performance.now() - killedAt) / 1000;
      console.log(`    skew: chunk of the killed skewed node re-run after ${recoverySeconds.toFixed(1)}s (heartbeat window ${NODE_SILENT_MS / 1000}s; ${ISOLATE ? 'judged by heartbeat and socket' : 'pid check applies'})`);
      assert.ok(recoverySeconds <= NODE_SILENT_MS / 1000 + 10, `recovered after ${recoverySeconds.toFixed(1)} s`);

      const finished = await waitJobEnded(tmp.spool, long, 40_000, 250, 'the long job to finish');
      assert.equal(finished.chunks, { total: 4, queued: 0, running: 0, done: 4, failed: 0 });
      const rerun = finished.chunkList.find((c) => c.id === victim.chunk)!;
      assert.is(rerun.attempt, victim.attempt + 1);
      assert.ok(rerun.node === 'behind' || rerun.node === 'normal', `re-run on ${rerun.node}`);
      const all = await ledger.attempts();
      assert.equal(overlappingAttempts(all), []);
      assert.equal(completionProblems(all, long, chunkIds(4)), []);
      const recoveredBy = [behind, normal].flatMap((n) => n.lines(new RegExp(`chunk ${long}/${victim.chunk} attempt ${victim.attempt}: node ahead .* is gone; back in the queue`)));
      assert.is(recoveredBy.length, 1, 'exactly one node recovered it, and said so');
    } finally {
      await fleet.stopAll();
      await killMatching(ledger.marker);
    }
  }));
});

test.run();
