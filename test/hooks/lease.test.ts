// Hook leases, through the Perl launcher and through the shell guard (RENDERD_DIRECT_SPAWN=1): a hook
// runs only while its node's lease is valid. The process running the hooks stalls (its event loop
// blocked) past the lease: its guard kills the hook's group, and a process that left the group, before
// the stalled process can do anything; the hook reports stopped by lease expiry. A hook asked for after
// the lease ran out never starts; one whose lease keeps being renewed runs to its end.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { killMatching, processesMatching, sleep, waitUntil, withTimeout } from '../support/index.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MODES = { launcher: {}, direct: { RENDERD_DIRECT_SPAWN: '1' } } as const;
const TEST_TIMEOUT_MS = 30_000;

interface ChildResult { outcome: Record<string, unknown>; lines: string[]; aliveAfterBlock?: number[]; chattyOutcome?: Record<string, unknown>; chattyLines?: string[] }

function runChild(mode: keyof typeof MODES, plan: object): Promise<ChildResult> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(HERE, 'lease-hook-child.js'), JSON.stringify(plan)], {
      env: { ...process.env, ...MODES[mode] },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('error', reject);
    child.on('close', () => {
      try { resolve(JSON.parse(out) as ChildResult); } catch { reject(new Error(`child printed ${out}`)); }
    });
  });
}

/** A sleep whose command line is unique to this test run (pgrep -f finds it). */
const uniqueSleep = () => `9.${randomBytes(3).readUIntBE(0, 3)}`;

for (const mode of Object.keys(MODES) as (keyof typeof MODES)[]) {
  test(`${mode}: the process running hooks stalls past its lease: the guard kills the hook, and what left its group, meanwhile`, async () => {
    const seconds = uniqueSleep();
    const marker = `sleep ${seconds}`;
    try {
      await withTimeout(TEST_TIMEOUT_MS, 'stalled', async () => {
        const { outcome, aliveAfterBlock } = await runChild(mode, {
          command: ['sh', '-c', `setsid sleep ${seconds} & sleep ${seconds}; echo done`], leaseMs: 1500, blockMs: 5000, marker,
        });
        assert.equal(aliveAfterBlock, [], 'no process of the hook was alive when the stalled event loop came back');
        assert.is(outcome.stopped, true, JSON.stringify(outcome));
        assert.is(outcome.ok, false);
        assert.match(String(outcome.reason), /lease ran out/);
      });
    } finally {
      await killMatching(marker);
    }
  });

  test(`${mode}: a render printing without pause beside a quiet one, the process running them stalled: both killed when the lease runs out`, async () => {
    const seconds = uniqueSleep();
    const marker = `sleep ${seconds}`;
    try {
      await withTimeout(TEST_TIMEOUT_MS, 'chatty stall', async () => {
        // `yes` fills the output pipe in a moment: the launcher must never wait on it to time the lease
        const { outcome, aliveAfterBlock, chattyOutcome, chattyLines } = await runChild(mode, {
          command: ['sh', '-c', `sleep ${seconds}; echo done`], leaseMs: 1500, blockMs: 5000, marker,
          chatty: ['sh', '-c', `yes chatty-${seconds} & sleep ${seconds}`],
        });
        assert.equal(aliveAfterBlock, [], 'no process of either hook was alive when the stalled event loop came back');
        assert.equal([outcome.stopped, chattyOutcome?.stopped], [true, true], JSON.stringify([outcome, chattyOutcome]));
        assert.match(String(outcome.reason), /lease ran out/);
        if (mode === 'launcher') assert.ok(chattyLines?.some((l) => /bytes of this hook's output were dropped/.test(l)), `the dropped output is counted: ${JSON.stringify(chattyLines)}`);
      });
    } finally {
      await killMatching(marker);
      await killMatching(`yes chatty-${seconds}`);
    }
  });

  test(`${mode}: a hook asked for once the lease ran out never starts`, async () => {
    await withTimeout(TEST_TIMEOUT_MS, 'expired', async () => {
      const { outcome, lines } = await runChild(mode, { command: ['sh', '-c', 'echo ran'], leaseMs: 0, marker: 'none' });
      assert.equal(lines, []);
      assert.equal([outcome.ok, outcome.stopped], [false, true]);
      assert.match(String(outcome.reason), /lease ran out/);
    });
  });

  test(`${mode}: a lease renewed in time lets a hook run longer than the lease`, async () => {
    await withTimeout(TEST_TIMEOUT_MS, 'renewed', async () => {
      const { outcome, lines } = await runChild(mode, { command: ['sh', '-c', 'sleep 2.5; echo finished'], leaseMs: 1000, renewEveryMs: 200, marker: 'none' });
      assert.is(outcome.ok, true, JSON.stringify(outcome));
      assert.equal(lines, ['finished']);
    });
  });
}

test('launcher: renderd killed while a chatty hook\'s output waits for it: the launcher kills every hook it guards', async () => {
  const seconds = uniqueSleep();
  const marker = `sleep ${seconds}`;
  try {
    await withTimeout(TEST_TIMEOUT_MS, 'killed while chatty', async () => {
      // the lease outlives the test: only the guard's reaction to renderd's death can end the hooks
      const child = spawn(process.execPath, [path.join(HERE, 'lease-hook-child.js'), JSON.stringify({
        command: ['sh', '-c', `sleep ${seconds}`], leaseMs: 600_000, blockMs: 600_000, marker,
        chatty: ['sh', '-c', `yes chatty-${seconds} & sleep ${seconds}`],
      })], { stdio: ['ignore', 'ignore', 'inherit'] });
      await waitUntil('both hooks running', async () => (await processesMatching(marker)).length >= 2, 10_000, 50);
      await sleep(1000); // the chatty hook's output fills the pipe to the stalled process
      child.kill('SIGKILL');
      await waitUntil('every hook killed by the launcher', async () => (await processesMatching(`${seconds}`)).length === 0, 10_000, 100);
    });
  } finally {
    await killMatching(marker);
    await killMatching(`yes chatty-${seconds}`);
  }
});

test.run();
