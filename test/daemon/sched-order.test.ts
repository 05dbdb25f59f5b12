// Claim order on a real node with one slot: a high-priority job queued while a low one runs goes next,
// and `render priority` moves a queued job ahead while the node is working.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, Ledger, runRender, submitExec, waitUntil, withTempSpool, withTimeout, type LedgerEvent } from '../support/index.js';
import { waitForJob } from '../scheduling-support.js';

const TEST_TIMEOUT_MS = 40_000;

/** The job of every START, in ledger order, as the tests' short names. */
function startOrder(events: LedgerEvent[], names: Record<string, string>): string[] {
  return events.filter((e) => e.kind === 'START').map((e) => names[e.job] ?? '?');
}

/** START events of `job` written before µs time `us`. */
const startsBefore = (events: LedgerEvent[], job: string, us: number) => events.filter((e) => e.kind === 'START' && e.job === job && e.timeUs < us).length;

test('a high-priority job queued later runs at the next claim, ahead of the low one already running', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'priority order', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const low = await submitExec(tmp.spool, ['--frames', '1-6', '--chunk', '1', '--name', 'low'], ledger.command(1, 0.6), { cwd: tmp.dir });
    const fleet = new Fleet(tmp.spool);
    try {
      fleet.start('solo', { slots: 1 });
      await waitUntil('the low job to start', async () => (await ledger.events()).some((e) => e.kind === 'START'), 15_000, 50);
      const high = await submitExec(tmp.spool, ['--frames', '1-2', '--chunk', '1', '--priority', '5', '--name', 'high'], ledger.command(1, 0.1), { cwd: tmp.dir });
      const queuedUs = Date.now() * 1000;
      await waitForJob(tmp.spool, low, 'done', (s) => s.state === 'done', 30_000);
      const events = await ledger.events();
      const order = startOrder(events, { [low]: 'L', [high]: 'H' });
      assert.is(order.filter((j) => j === 'H').length, 2, `high ran both chunks: ${order.join(' ')}`);
      const firstHigh = order.indexOf('H');
      assert.equal(order.slice(firstHigh, firstHigh + 2), ['H', 'H'], `high's chunks back to back: ${order.join(' ')}`);
      // at most the claim in flight when high appeared goes to low
      const lowBeforeQueued = startsBefore(events, low, queuedUs);
      assert.ok(firstHigh <= lowBeforeQueued + 1, `high first claimed after ${firstHigh} low chunks, ${lowBeforeQueued} had started when it was queued: ${order.join(' ')}`);
      assert.ok(order.slice(firstHigh + 2).length >= 2, `low still had chunks left to run after high: ${order.join(' ')}`);
    } finally {
      await fleet.stopAll();
    }
  }));
});

test('render priority moves a queued job ahead of the running one, live', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'render priority', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const first = await submitExec(tmp.spool, ['--frames', '1-8', '--chunk', '1', '--name', 'first'], ledger.command(1, 0.5), { cwd: tmp.dir });
    const fleet = new Fleet(tmp.spool);
    try {
      fleet.start('solo', { slots: 1 });
      await waitUntil('the first job to start', async () => (await ledger.events()).some((e) => e.kind === 'START'), 15_000, 50);
      const later = await submitExec(tmp.spool, ['--frames', '1-2', '--chunk', '1', '--name', 'later'], ledger.command(1, 0.1), { cwd: tmp.dir });
      const submittedUs = Date.now() * 1000;
      // same priority, submitted later: the first job keeps the node
      await waitUntil('another chunk of the first job to start', async () =>
        (await ledger.events()).some((e) => e.kind === 'START' && e.job === first && e.timeUs > submittedUs + 100_000), 15_000, 50);
      const before = await ledger.events();
      assert.is(before.filter((e) => e.job === later).length, 0, 'the later job waited its turn');

      const bumped = await runRender(['--spool', tmp.spool, 'priority', later, '10']);
      assert.is(bumped.code, 0, bumped.stderr);
      const bumpedUs = Date.now() * 1000;
      await waitForJob(tmp.spool, first, 'done', (s) => s.state === 'done', 30_000);
      const events = await ledger.events();
      const order = startOrder(events, { [first]: 'F', [later]: 'L' });
      const firstLater = order.indexOf('L');
      assert.equal(order.slice(firstLater, firstLater + 2), ['L', 'L'], `later's chunks back to back: ${order.join(' ')}`);
      assert.ok(firstLater <= startsBefore(events, first, bumpedUs) + 1, `later claimed at the next claim after the bump: ${order.join(' ')}`);
      assert.ok(order.slice(firstLater + 2).includes('F'), `the first job still had chunks left when later jumped ahead: ${order.join(' ')}`);
    } finally {
      await fleet.stopAll();
    }
  }));
});

test.run();
