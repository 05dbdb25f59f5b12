// Issue 24: a machine suspended. renderd's monotonic clock stands still, its observers' clocks and the wall
// clock do not: on resume the keeper must count its lease as run out and check its claims before it renews
// it (a chunk taken over meanwhile must not start again). A fake clock jumps the wall 60 s in one tick.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Spool } from '../../src/index.js';
import { ClaimKeeper } from '../../src/liveness/keeper.js';
import { HookLeases } from '../../src/liveness/lease.js';
import { writeNodeRecord } from '../../src/nodes/registry.js';
import { currentIdentity } from '../../src/nodes/host.js';
import { FORMAT_VERSION } from '../../src/spool/records.js';
import { waitUntil, withTempSpool, withTimeout } from '../support/index.js';

test('suspended 60 s (wall clock on, monotonic clock still): the lease counts as run out and claims are checked before it is renewed', async () => {
  await withTimeout(20_000, 'suspend', () => withTempSpool(async (tmp) => {
    const spool = await Spool.open(tmp.spool);
    let monoMs = 1_000_000;
    let wallMs = Date.UTC(2026, 0, 1);
    const lines: string[] = [];
    const clock = { monotonicMs: () => monoMs, wallIso: () => new Date(wallMs).toISOString(), wallMs: () => wallMs };
    const ctx = { ...spool.ctx, clock, log: (line: string) => lines.push(line) };
    const leases = new HookLeases(clock);
    const keeper = new ClaimKeeper({ ctx, instance: 'i-1', node: 'n1', held: () => [], leases });
    const record = { v: FORMAT_VERSION, name: 'n1', ...currentIdentity(), instance: 'i-1', beat: 1, slots: 1, tags: [], running: [], state: 'running', startedAt: new Date(wallMs).toISOString(), updatedAt: new Date(wallMs).toISOString() };
    await writeNodeRecord(ctx.layout, record as never);
    await keeper.heartbeatWritten(ctx.layout.nodeFile('n1'), record as never, monoMs);
    assert.ok(keeper.leaseValid(), `renewed by a good beat: ${lines.join('; ')}`);
    keeper.start();
    try {
      wallMs += 60_000; // resumed: 60 s passed for everyone but this process's monotonic clock
      await waitUntil('the suspend noticed', () => lines.find((l) => /suspended for about 6\d\.\d s/.test(l)), 5000, 20);
      assert.not.ok(keeper.leaseValid(), 'no new work on a lease the suspend ran out');
      lines.length = 0;
      await keeper.heartbeatWritten(ctx.layout.nodeFile('n1'), record as never, monoMs);
      assert.ok(keeper.leaseValid(), 'a beat after the check renews it');
      assert.ok(leases.valid('i-1'), 'and the hooks\' lease with it');
    } finally {
      keeper.stop();
    }
  }));
});


test('a hook lease on a fake clock: valid until its deadline, told to every guard, fast-forwarded not slept through', () => {
  let nowMs = 0;
  const leases = new HookLeases({ monotonicMs: () => nowMs });
  const heard: [string, number][] = [];
  const stop = leases.onRenewed((key, ms) => heard.push([key, ms]));
  leases.renew('i-1', 12_000);
  nowMs += 11_999;
  assert.ok(leases.valid('i-1'));
  assert.equal(leases.current(), [['i-1', 1]]);
  nowMs += 1;
  assert.not.ok(leases.valid('i-1'), 'run out at its deadline');
  assert.equal(leases.current(), []);
  stop();
  leases.renew('i-1', 5);
  assert.equal(heard, [['i-1', 12_000]], 'a guard that stopped listening hears no more');
});

test.run();
