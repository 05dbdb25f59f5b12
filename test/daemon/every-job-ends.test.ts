// Every job ends: a job after a dependency that failed or was removed fails with the reason (render wait
// exits 1), render retry of the dependency brings the whole chain back; and a --pool job whose only
// eligible node failed it twice is not stranded by nodes of other pools (the escape hatch counts only
// nodes that could run it).
import fs from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, runRender, showJob, submitExec, withTempSpool, withTimeout, writeScript, type TempSpool } from '../support/index.js';

const TEST_TIMEOUT_MS = 90_000;

async function runUntilIdle(tmp: TempSpool): Promise<string> {
  const fleet = new Fleet(tmp.spool);
  try {
    const node = fleet.start('e1', { exitWhenIdle: true });
    assert.equal(await node.waitExit(40_000), { code: 0, signal: null }, node.stderr);
    return node.stderr;
  } finally {
    await fleet.stopAll();
  }
}

test('a chain after a failed parent ends failed with the reason; render wait exits 1; render retry of the parent brings it all back', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'failed parent', () => withTempSpool(async (tmp) => {
    const fixed = tmp.path('fixed');
    const parentCmd = await writeScript(tmp.path('bin', 'parent'), `[ -f "${fixed}" ]\n`);
    const parent = await submitExec(tmp.spool, ['--name', 'parent', '--retries', '0', '--frames', '1'], [parentCmd]);
    const child = await submitExec(tmp.spool, ['--name', 'child', '--after', parent, '--frames', '1'], ['true']);
    const grandchild = await submitExec(tmp.spool, ['--name', 'grandchild', '--after', child, '--frames', '1'], ['true']);
    const log = await runUntilIdle(tmp);
    assert.match(log, new RegExp(`job ${child}: dependency ${parent} failed: job failed`));
    const wait = await runRender(['--spool', tmp.spool, 'wait', child]);
    assert.is(wait.code, 1);
    assert.match(wait.stderr, new RegExp(`job ${child} \\(child\\) failed: dependency ${parent} failed`));
    const shownChild = await showJob(tmp.spool, child) as unknown as { state: string; reason?: string };
    assert.equal([shownChild.state, shownChild.reason], ['failed', `dependency ${parent} failed`]);
    const shownGrand = await showJob(tmp.spool, grandchild) as unknown as { state: string; reason?: string };
    assert.equal([shownGrand.state, shownGrand.reason], ['failed', `dependency ${child} failed`]);

    await fs.writeFile(fixed, '');
    assert.is((await runRender(['--spool', tmp.spool, 'retry', parent])).code, 0);
    for (const job of [child, grandchild]) assert.is((await showJob(tmp.spool, job)).state, 'queued', `${job} came back with its parent`);
    await runUntilIdle(tmp);
    for (const job of [parent, child, grandchild]) assert.is((await showJob(tmp.spool, job)).state, 'done');
  }));
});

test('a job after a removed parent ends failed, naming it; render wait exits 1', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'removed parent', () => withTempSpool(async (tmp) => {
    const parent = await submitExec(tmp.spool, ['--name', 'parent', '--frames', '1', '--paused'], ['true']);
    const child = await submitExec(tmp.spool, ['--name', 'child', '--after', parent, '--frames', '1'], ['true']);
    assert.is((await runRender(['--spool', tmp.spool, 'remove', parent])).code, 0);
    const log = await runUntilIdle(tmp);
    assert.match(log, new RegExp(`job ${child}: dependency ${parent} was removed`));
    const wait = await runRender(['--spool', tmp.spool, 'wait', child]);
    assert.is(wait.code, 1);
  }));
});

test('--pool gpu with one gpu node that failed it twice: other pools do not strand it, the gpu node keeps trying until it is done', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'pool blocklist', () => withTempSpool(async (tmp) => {
    const count = tmp.path('attempts');
    // fails on its first two attempts (blocklisting the gpu node), works on the third
    const flaky = await writeScript(tmp.path('bin', 'flaky'), `echo x >> "${count}"\n[ "$(wc -l < "${count}")" -ge 3 ]\n`);
    const job = await submitExec(tmp.spool, ['--pool', 'gpu', '--frames', '1', '--retries', '3'], [flaky]);
    const fleet = new Fleet(tmp.spool);
    try {
      // a cpu node stays up the whole time: it is live, not blocklisted, and can never run the job
      const cpu = fleet.start('cpu1');
      await cpu.waitForLine(/node cpu1 up/, 15_000);
      const gpu = fleet.start('gpu1', { extraArgs: ['--pool', 'gpu'] });
      const wait = await runRender(['--spool', tmp.spool, 'wait', job], { timeoutMs: 60_000 });
      assert.is(wait.code, 0, `${wait.stderr}\n${fleet.logs()}`);
      assert.match(gpu.stderr, /attempt 2: failed/);
      assert.match(gpu.stderr, /attempt 3: done/);
    } finally {
      await fleet.stopAll();
    }
  }));
});

test.run();
