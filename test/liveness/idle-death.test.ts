// Issue 24, item 2: a machine that died idle. y, in a pid namespace of its own (another host, as far as
// pids go), registers, holds nothing, and is SIGKILLed: only its silent heartbeat can tell. x must judge it
// gone by the holders' rule — its record removed, `render nodes` no longer listing it — so a job whose
// chunks fail on x alone is not kept waiting for y by the blocklist's escape hatch, and ends.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { canUnsharePids, Fleet, Ledger, renderJson, showJob, submitExec, withTempSpool, withTimeout } from '../support/index.js';
import { isFinished, ledgerThen, waitForJob } from '../scheduling-support.js';
import { NODE_SILENT_MS, NODE_SUSPECT_MS, OBSERVE_MS } from '../../src/liveness/budget.js';

import { gate } from '../support/requires.js';

const test = gate(uvuTest, 'pid namespaces', canUnsharePids() ? null : 'unshare --pid failed (needs root or user namespaces)');
const TEST_TIMEOUT_MS = 90_000;
/** The window, the stat's quiet spell before the record is read, and a few sweeps of slack. */
const VERDICT_MS = NODE_SILENT_MS + NODE_SUSPECT_MS + 5 * OBSERVE_MS;

test('an idle node in another pid namespace, SIGKILLed: unregistered by the window, and a job failing on the only live node ends', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'idle death', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const fleet = new Fleet(tmp.spool);
    try {
      const x = fleet.start('x', { ownPidNamespace: true, pollMs: 500 });
      const y = fleet.start('y', { ownPidNamespace: true, pollMs: 500 });
      await Promise.all([x.waitForLine(/node x up/, 15_000), y.waitForLine(/node y up/, 15_000)]);
      await y.kill('SIGKILL');
      const killedAt = performance.now();
      const job = await submitExec(tmp.spool, ['--frames', '1-2', '--chunk', '1', '--retries', '3'], ledgerThen(ledger, '[ "$RENDER_NODE" = x ] && exit 1; exit 0'), { cwd: tmp.dir });
      await x.waitForLine(/node y .*is gone: unregistered/, VERDICT_MS + 10_000);
      const judgedAfterMs = performance.now() - killedAt;
      console.log(`    idle death: y unregistered ${(judgedAfterMs / 1000).toFixed(1)} s after its SIGKILL (window ${NODE_SILENT_MS / 1000} s)`);
      const nodes = await renderJson<{ name: string }[]>(tmp.spool, ['nodes']);
      assert.equal(nodes.map((n) => n.name), ['x'], 'render nodes lists only the live node');
      const shown = await waitForJob(tmp.spool, job, 'to end', isFinished, 30_000).catch(async (error) => {
        throw new Error(`${(error as Error).message}: ${JSON.stringify((await showJob(tmp.spool, job)).chunks)}`);
      });
      assert.is(shown.state, 'failed');
      assert.ok(x.running, 'x still up');
    } finally {
      await fleet.stopAll();
    }
  }));
});

test.run();
