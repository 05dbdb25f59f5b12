// Licence tokens: `render license set lic 2` caps the chunks of --license lic jobs running farm-wide at 2,
// `render license list --json` shows the tokens in use, and every token comes back — also the one held by
// a node that was SIGKILLed mid-chunk (reclaimed, and the job still finishes).
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { completionProblems, Fleet, Ledger, processesOfNode, runRender, showJob, sleep, submitExec, waitUntil, withTempSpool, withTimeout } from '../support/index.js';
import { chunkIds, concurrencyOf, isFinished, ledgerLength, listLicenses, waitForJob, type LicenseJson } from '../scheduling-support.js';

const TEST_TIMEOUT_MS = 60_000;

async function setLicense(spool: string, name: string, count: number): Promise<void> {
  const set = await runRender(['--spool', spool, 'license', 'set', name, String(count), '--json']);
  assert.is(set.code, 0, set.stderr);
  assert.equal(JSON.parse(set.stdout), { name, count });
}

test('3 nodes x 2 slots, licence of 2: never more than 2 chunks at once; list shows the tokens; all given back', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'licences', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    await setLicense(tmp.spool, 'lic', 2);
    assert.equal(await listLicenses(tmp.spool), [{ name: 'lic', count: 2, inUse: 0, held: [] }]);
    const job = await submitExec(tmp.spool, ['--frames', '1-8', '--chunk', '1', '--license', 'lic', '--retries', '0'], ledger.command(1, 0.8), { cwd: tmp.dir });
    const fleet = new Fleet(tmp.spool);
    try {
      for (const name of ['l1', 'l2', 'l3']) fleet.start(name, { slots: 2, exitWhenIdle: true });
      const samples: LicenseJson[] = [];
      let finished = false;
      const exited = Promise.all(fleet.nodes.map((n) => n.waitExit(TEST_TIMEOUT_MS - 10_000))).finally(() => { finished = true; });
      while (!finished) {
        samples.push(...(await listLicenses(tmp.spool)));
        await sleep(150); // the sampling period of `render licenses`, not a wait for a state
      }
      const exits = await exited;
      exits.forEach((exit, i) => assert.equal(exit, { code: 0, signal: null }, fleet.nodes[i].stderr.slice(-2000)));

      const events = await ledger.events();
      assert.equal(completionProblems(await ledger.attempts(), job, chunkIds(8)), []);
      const seen = concurrencyOf(events);
      assert.ok(seen.maxAttempts <= 2, `at most 2 chunks at once, ledger saw ${seen.maxAttempts}`);
      assert.ok(seen.maxAttempts === 2, 'the 2 tokens were both used at some point');
      assert.ok(samples.every((s) => s.inUse <= 2 && s.held.length === s.inUse), `list never shows more than 2 in use: ${JSON.stringify(samples.map((s) => s.inUse))}`);
      const busy = samples.find((s) => s.inUse > 0);
      assert.ok(busy, 'a sample caught a token in use');
      assert.ok(busy!.held.every((h) => h.startsWith(`${job}~`)), `held tokens name the job: ${busy!.held.join(', ')}`);
      assert.equal(await listLicenses(tmp.spool), [{ name: 'lic', count: 2, inUse: 0, held: [] }], 'every token given back');
      assert.is((await showJob(tmp.spool, job)).state, 'done');
    } finally {
      await fleet.stopAll();
    }
  }));
});

test('a node SIGKILLed while holding the only token: the token is reclaimed and the job finishes', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'licence after SIGKILL', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    await setLicense(tmp.spool, 'lic', 1);
    // the first chunk to start runs until it is killed (however late the kill comes under load); the rest are short
    const hook = path.join(tmp.dir, 'first-runs-long.sh');
    await fs.writeFile(hook, `#!/bin/sh\nif mkdir "$0.first" 2>/dev/null; then exec ${ledger.command(600, 0.1).join(' ')}; else exec ${ledger.command(1, 0.5).join(' ')}; fi\n`, { mode: 0o755 });
    const job = await submitExec(tmp.spool, ['--frames', '1-4', '--chunk', '1', '--license', 'lic', '--retries', '0'], [hook], { cwd: tmp.dir });
    const fleet = new Fleet(tmp.spool);
    try {
      const nodes = [fleet.start('k1', { slots: 1 }), fleet.start('k2', { slots: 1 })];
      const first = await waitUntil('a chunk to start', async () => (await ledger.events()).find((e) => e.kind === 'START'), 20_000, 50);
      const victim = nodes.find((n) => n.name === first.node)!;
      const [held] = await listLicenses(tmp.spool);
      assert.is(held.inUse, 1, 'the running chunk holds the token');
      await victim.kill('SIGKILL');
      await victim.waitExit(5000);
      await waitUntil(`hooks of ${victim.name} to die`, async () => (await processesOfNode(ledger.marker, victim.name)).length === 0, 5000, 50);
      const killedAt = await ledgerLength(ledger);

      const done = await waitForJob(tmp.spool, job, 'to finish', isFinished, 40_000);
      assert.equal(done.chunks, { total: 4, queued: 0, running: 0, done: 4, failed: 0 }, fleet.logs().slice(-3000));
      const attempts = await ledger.attempts();
      assert.equal(completionProblems(attempts, job, chunkIds(4)), []);
      const interrupted = attempts.filter((a) => !a.completed);
      assert.equal(interrupted.map((a) => a.node), [victim.name], 'the one attempt cut short was the victim\'s');
      const redo = attempts.find((a) => a.chunk === interrupted[0].chunk && a.completed)!;
      assert.is(redo.attempt, 2, 'the killed chunk ran again as attempt 2');
      assert.ok(concurrencyOf(await ledger.events(), undefined, killedAt).maxAttempts <= 1, 'one token: one chunk at a time, the killed one included');
      assert.equal(await listLicenses(tmp.spool), [{ name: 'lic', count: 1, inUse: 0, held: [] }], 'the dead node\'s token is not stranded');
    } finally {
      await fleet.stopAll();
    }
  }));
});

test.run();
