// SIGKILL at any instant (invariant 1): nodes killed mid-chunk and restarted under the same name. Every
// chunk ends done once, attempts never overlap, and a killed node's hook processes die with it.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  attemptsOf, completionProblemsWithKills, Fleet, killMatching, Ledger, overlappingAttempts, processesMatching, processesOfNode, showJob, sleep,
  submitExec, waitJobEnded, waitUntil, withTempSpool, withTimeout, type NodeProcess,
} from '../support/index.js';

const TEST_TIMEOUT_MS = 110_000;
const chunkIds = (n: number) => Array.from({ length: n }, (_, i) => String(i + 1).padStart(4, '0'));


test('nodes with 2 slots SIGKILLed mid-chunk again and again, restarted under the same name: all done, once, no overlap, no orphans', async () => {
  const CHUNKS = 40;
  const KILLS = 6;
  await withTimeout(TEST_TIMEOUT_MS, 'sigkill', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    // ~1 s per chunk: 10 ticks of 0.1 s, so a kill lands mid-chunk
    const job = await submitExec(tmp.spool, ['--frames', `1-${CHUNKS}`, '--chunk', '1', '--retries', '0'], ledger.command(10, 0.1));
    const fleet = new Fleet(tmp.spool);
    const names = ['k1', 'k2', 'k3'];
    const current = new Map<string, NodeProcess>();
    try {
      for (const name of names) current.set(name, fleet.start(name, { slots: 2 }));
      let seed = 7;
      const random = () => (seed = (seed * 48271) % 2147483647) / 2147483647;
      const orphans: string[] = [];
      let midChunkKills = 0;
      for (let kill = 0; kill < KILLS; kill++) {
        const victimName = names[Math.floor(random() * names.length)];
        const victim = current.get(victimName)!;
        // mid-chunk: hook processes started for this node are running (which also shows the orphan check can see them)
        await waitUntil(`${victimName} to be mid-chunk`, async () => (await processesOfNode(ledger.marker, victimName)).length > 0, 20_000, 50);
        await sleep(50 + random() * 250); // the fault's moment: a kill at a (seeded) random point of the chunk
        const before = await processesOfNode(ledger.marker, victimName);
        await victim.kill('SIGKILL');
        await victim.waitExit(5000);
        await ledger.noteKill(victimName);
        // the hook guard gets a parent-death signal and kills its group: give it a moment, then look
        const left = await waitUntil(`hooks of killed ${victimName} to die`, async () => {
          const pids = await processesOfNode(ledger.marker, victimName);
          return pids.length === 0 ? [] : false;
        }, 3000, 50).catch(async () => processesOfNode(ledger.marker, victimName));
        if (before.length > 0) midChunkKills++;
        if (left.length) orphans.push(`after kill ${kill + 1} of ${victimName}: pids ${left.join(', ')} still running`);
        current.set(victimName, fleet.start(victimName, { slots: 2 }));
      }
      assert.equal(orphans, [], 'no orphan hook processes after SIGKILL');
      assert.ok(midChunkKills >= KILLS / 2, `${midChunkKills} of ${KILLS} kills landed mid-chunk`);

      const done = await waitJobEnded(tmp.spool, job, 60_000, 250, 'the job to finish');
      assert.equal(done.chunks, { total: CHUNKS, queued: 0, running: 0, done: CHUNKS, failed: 0 }, fleet.logs().slice(-4000));

      const events = await ledger.events();
      const attempts = attemptsOf(events);
      // a hook may end just before its node is killed: that result was never recorded and the chunk runs
      // again — legitimate, as long as it is the kill that caused it and the recorded attempt is the last
      const recorded = new Map(done.chunkList.map((c) => [c.id, c.attempt]));
      assert.equal(completionProblemsWithKills(events, job, recorded), []);
      assert.equal([...recorded.keys()].sort(), chunkIds(CHUNKS));
      assert.equal(overlappingAttempts(attempts, { byTime: true }), [], 'killed or not, no two attempts of a chunk overlap');
      const killedMidChunk = attempts.filter((a) => !a.completed);
      assert.ok(killedMidChunk.length >= 1, `the kills interrupted ${killedMidChunk.length} attempts`);
      // a re-run after a kill carries the next attempt number
      for (const a of killedMidChunk) {
        const rerun = attempts.find((b) => b.chunk === a.chunk && b.completed && b.first > a.last);
        assert.ok(rerun && rerun.attempt > a.attempt, `chunk ${a.chunk}: re-run attempt ${rerun?.attempt} after killed attempt ${a.attempt}`);
      }
      assert.ok(done.chunkList.every((c) => c.state === 'done'));
      assert.equal(fleet.nodes.flatMap((n) => n.lines(/fatal|result not recorded/)), []);
      await waitUntil('no hook process left', async () => (await processesMatching(ledger.marker)).length === 0, 5000);
    } finally {
      await fleet.stopAll();
      await killMatching(ledger.marker);
    }
  }));
});

test('a node SIGKILLed mid-chunk and restarted under the same --node re-runs its chunk at once, as attempt 2', async () => {
  await withTimeout(60_000, 'restart', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const job = await submitExec(tmp.spool, ['--frames', '1', '--retries', '0'], ledger.command(20, 0.1));
    const fleet = new Fleet(tmp.spool);
    try {
      const first = fleet.start('solo');
      await waitUntil('attempt 1 to start', async () => (await ledger.events()).some((e) => e.kind === 'START' && e.attempt === 1), 15_000, 50);
      await sleep(300); // the fault's moment: the kill lands a little way into the attempt
      await first.kill('SIGKILL');
      await first.waitExit(5000);
      await waitUntil('the killed hook to die', async () => (await processesMatching(ledger.marker)).length === 0, 3000, 50);

      const second = fleet.start('solo');
      // timed from the new node's first line, not from its spawn: a node's start-up on a loaded machine is no
      // part of what is measured (the 15 s window a missed verdict would cost starts at its first sweep anyway)
      await second.waitForLine(/node solo up/, 30_000);
      const restartedAt = performance.now();
      await waitUntil('attempt 2 to start', async () => (await ledger.events()).some((e) => e.kind === 'START' && e.attempt === 2), 15_000, 50);
      const seconds = (performance.now() - restartedAt) / 1000;
      // promptly: by the dead pid at the new node's first sweep, not after the 15 s heartbeat window
      assert.ok(seconds < 10, `re-run started ${seconds.toFixed(1)} s after the restarted node came up`);
      console.log(`    restart: attempt 2 started ${seconds.toFixed(1)}s after the restarted node came up`);
      await second.waitForLine(new RegExp(`chunk ${job}/0001 attempt 2: done`), 15_000);

      const attempts = await ledger.attempts();
      assert.equal(attempts.map((a) => [a.attempt, a.completed]), [[1, false], [2, true]]);
      const shown = await showJob(tmp.spool, job);
      assert.is(shown.state, 'done');
      assert.is(shown.chunkList[0].attempt, 2);
      assert.is(shown.chunkList[0].node, 'solo');
      assert.match(second.stderr, /attempt 1: node solo \(pid \d+ on .*\) is gone; back in the queue/);
    } finally {
      await fleet.stopAll();
      await killMatching(ledger.marker);
    }
  }));
});

test.run();
