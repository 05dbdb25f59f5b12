// Issue 15, item 1: renderd alone stopped (SIGSTOP: a hung NFS read, swapping) for longer than the liveness
// window while its render goes on. Each node runs in a pid namespace of its own, so no same-kernel pid check
// can help: the rescuer judges the holder by its heartbeat alone. The holder's lease runs out before any
// observer may judge it dead, and its hook launcher (not stopped: a process of its own) kills the render.
// The rescuer then takes the chunk over: the two attempts never overlap. The holder, resumed, records
// nothing for the chunk it lost and goes on working, killing nothing it should not. A node stopped past
// its lease but back before any observer's window gives its stopped chunk back itself (no retry used).
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { canUnsharePids, completionProblems, Fleet, killMatching, Ledger, overlappingAttempts, processesOfNode, showJob, sleep, submitExec, waitUntil, withTempSpool, withTimeout, type NodeProcess } from '../support/index.js';
import { HOLDER_DEADLINE_MS, NODE_SILENT_MS } from '../../src/liveness/budget.js';
import { gate } from '../support/requires.js';

const test = gate(uvuTest, 'pid namespaces', canUnsharePids() ? null : 'unshare --pid failed (needs root or user namespaces)');

const TEST_TIMEOUT_MS = 120_000;
/** Stopped this long: the window (15 s), a sweep and a claim, with room to spare. */
const STOPPED_MS = 25_000;
/** The first attempt's render: 40 s of half-second ticks, longer than the stop. */
const FIRST_TICKS = 80;

/** Polls the holder's hook processes, noting when they were last seen alive. */
function watchHooks(marker: string, node: string): { lastAliveMs: () => number; stop: () => void } {
  let last = performance.now();
  let running = true;
  void (async () => {
    while (running) {
      if ((await processesOfNode(marker, node)).length > 0) last = performance.now();
      await sleep(100); // the polling period of this watch, not a wait for a state
    }
  })();
  return { lastAliveMs: () => last, stop: () => { running = false; } };
}

async function waitUp(node: NodeProcess): Promise<void> {
  await node.waitForLine(/ up: pid /, 20_000);
}

test(`renderd stopped ${STOPPED_MS / 1000} s while its ${FIRST_TICKS / 2} s render runs: the render dies before the rescuer starts it again; 0 s of overlap`, async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'stalled holder', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const fleet = new Fleet(tmp.spool);
    let holder: NodeProcess | undefined;
    try {
      holder = fleet.start('holder', { ownPidNamespace: true, pollMs: 500 });
      await waitUp(holder);
      const job = await submitExec(tmp.spool, ['--frames', '1', '--retries', '0', '--name', 'stalled'], ledger.command(FIRST_TICKS, 0.5, 2));
      await waitUntil('the holder\'s render to start', async () => (await ledger.events()).some((e) => e.kind === 'START'), 20_000, 50);
      const rescuer = fleet.start('rescuer', { ownPidNamespace: true, pollMs: 500, env: { RENDERD_LOG_DECISIONS: '1' } });
      await waitUp(rescuer);
      // its window counts from a beat it saw change, not from a first sighting after the stop
      await rescuer.waitForLine(/decision: watching holder holder /, 15_000);

      const hooks = watchHooks(ledger.marker, 'holder');
      const stoppedAt = performance.now();
      await holder.kill('SIGSTOP');
      try {
        const rerun = await waitUntil('the rescuer to start the chunk', async () =>
          (await ledger.events()).find((e) => e.kind === 'START' && e.node === 'rescuer'), STOPPED_MS, 20);
        const rerunAt = performance.now();
        assert.equal(await processesOfNode(ledger.marker, 'holder'), [], 'the holder\'s render was dead when the rescuer started the chunk');
        hooks.stop();
        const killedAfter = hooks.lastAliveMs() - stoppedAt;
        console.log(`    stalled holder: render killed by its launcher ≤ ${(killedAfter / 1000).toFixed(1)} s after renderd stopped (deadline ${HOLDER_DEADLINE_MS / 1000} s after its last heartbeat); rescuer started it ${((rerunAt - stoppedAt) / 1000).toFixed(1)} s after (window ${NODE_SILENT_MS / 1000} s)`);
        assert.is(rerun.attempt, 2);
        assert.ok(killedAfter < rerunAt - stoppedAt, 'killed before the re-run');
        await waitUntil('the job done', async () => (await showJob(tmp.spool, job)).state === 'done', 20_000, 100);
        // the fault itself: the holder stays stopped its whole STOPPED_MS, past the rescuer's re-run
        const remaining = STOPPED_MS - (performance.now() - stoppedAt);
        if (remaining > 0) await sleep(remaining);
      } finally {
        hooks.stop();
        await holder.kill('SIGCONT');
      }

      // resumed: the lost chunk's end is fenced off, nothing is recorded for it
      await holder.waitForLine(/result not recorded/, 20_000);
      const attempts = await ledger.attempts();
      assert.equal(overlappingAttempts(attempts, { byTime: true }), [], 'no two attempts overlapped, in ledger order and in time');
      const [first, second] = attempts.sort((a, b) => a.first - b.first);
      console.log(`    stalled holder: overlap 0 s — attempt 1's last line ${((second!.firstUs - first!.lastUs) / 1e6).toFixed(1)} s before attempt 2's first`);
      assert.equal(completionProblems(attempts, job, ['0001']), []);
      const shown = await showJob(tmp.spool, job);
      assert.equal([shown.chunkList[0]!.attempt, shown.chunkList[0]!.node, shown.chunks.done], [2, 'rescuer', 1]);
      assert.ok(holder.lines(/stalled for/).length >= 1, `the holder noticed its stall:\n${holder.stderr}`);

      // and goes on working: a new job's chunks run to their end on both nodes, none killed or stopped
      const next = await submitExec(tmp.spool, ['--frames', '1-6', '--chunk', '1', '--retries', '0', '--name', 'after'], ledger.command(4, 0.5));
      const done = await waitUntil('the next job done', async () => {
        const s = await showJob(tmp.spool, next);
        return s.state === 'done' ? s : undefined;
      }, 40_000, 200);
      assert.ok(done.chunkList.every((c) => c.attempt === 1), `every chunk on its first attempt: ${JSON.stringify(done.chunkList.map((c) => [c.id, c.attempt, c.node]))}`);
      assert.ok(holder.running && rescuer.running, 'both nodes still up');
      assert.equal(holder.lines(/lease ran out/).filter((l) => l.includes(next)), [], 'nothing of the new job was stopped');
    } finally {
      if (holder?.running) await holder.kill('SIGCONT');
      await fleet.stopAll();
      await killMatching(ledger.marker);
    }
  }));
});

test('renderd alone stopped past its lease but back before any observer: its render is stopped, and runs again, no retry used', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'short stall', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const fleet = new Fleet(tmp.spool);
    let node: NodeProcess | undefined;
    try {
      node = fleet.start('solo', { pollMs: 500 });
      await waitUp(node);
      const job = await submitExec(tmp.spool, ['--frames', '1', '--retries', '0', '--name', 'short-stall'], ledger.command(FIRST_TICKS, 0.5, 2));
      await waitUntil('the render to start', async () => (await ledger.events()).some((e) => e.kind === 'START'), 20_000, 50);
      await node.kill('SIGSTOP');
      try {
        // the launcher kills the render within the holder deadline of the last heartbeat, renderd still stopped
        await waitUntil('the render killed by its launcher', async () => (await processesOfNode(ledger.marker, 'solo')).length === 0, HOLDER_DEADLINE_MS + 5000, 100);
      } finally {
        await node.kill('SIGCONT');
      }
      const shown = await waitUntil('the job done', async () => {
        const s = await showJob(tmp.spool, job);
        return s.state === 'done' ? s : undefined;
      }, 30_000, 200);
      const chunk = shown.chunkList[0]!;
      assert.equal([chunk.attempt, chunk.failures], [2, 0], 'stopped by its lease, then run again: no retry used');
      assert.ok(node.lines(/attempt 1: stopped — .*lease ran out/).length === 1, node.stderr);
      assert.equal(overlappingAttempts(await ledger.attempts(), { byTime: true }), []);
    } finally {
      if (node?.running) await node.kill('SIGCONT');
      await fleet.stopAll();
      await killMatching(ledger.marker);
    }
  }));
});

test.run();
