// Two machines with one name (issue 15, item 2): a node name is one live instance. Two renderd started at
// the same instant under one name, each in its own pid namespace (so no pid check can tell them apart):
// one takes the name, the other refuses with one line naming the owner's host and pid, exit 2, and no chunk
// gets an extra attempt. A running node that finds its name taken stops claiming and gives its chunks back.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import {
  canUnsharePids, Fleet, killMatching, Ledger, overlappingAttempts, showJob, submitExec, waitJobEnded, waitUntil, withTempSpool, withTimeout, type NodeProcess,
} from '../support/index.js';
import { gate } from '../support/requires.js';

const test = gate(uvuTest, 'pid namespaces', canUnsharePids() ? null : 'unshare --pid failed (needs root or user namespaces)');

const ROUNDS = 3;
const CHUNKS = 4;
const REFUSAL = /node name 'twin' is in use by renderd pid \d+ on \S+: refusing to start a second instance/;

test(`two nodes with one name started at the same instant in separate pid namespaces (${ROUNDS} rounds): one refuses, no extra attempt`, async () => {
  for (let round = 1; round <= ROUNDS; round++) {
    await withTimeout(90_000, `name clash round ${round}`, () => withTempSpool(async (tmp) => {
      const ledger = await Ledger.create(tmp.dir);
      // ~3 s chunks: both nodes would have claimed some before either could notice the other
      const job = await submitExec(tmp.spool, ['--frames', `1-${CHUNKS}`, '--chunk', '1', '--retries', '0'], ledger.command(15, 0.2));
      const fleet = new Fleet(tmp.spool);
      try {
        const pair = [fleet.start('twin', { slots: 2, ownPidNamespace: true }), fleet.start('twin', { slots: 2, ownPidNamespace: true })];
        const refused = await waitUntil('one of the twins to exit', () => pair.find((n) => !n.running), 30_000, 50);
        const kept = pair.find((n) => n !== refused)! as NodeProcess;
        assert.equal(refused.exit, { code: 2, signal: null }, fleet.logs());
        const lines = refused.stderr.trim().split('\n');
        assert.is(lines.length, 1, `one line:\n${refused.stderr}`);
        assert.match(lines[0], REFUSAL);
        assert.ok(kept.running, 'the owner keeps running');

        const done = await waitJobEnded(tmp.spool, job, 60_000, 250, 'the job to finish');
        assert.equal(done.chunks, { total: CHUNKS, queued: 0, running: 0, done: CHUNKS, failed: 0 });
        const attempts = await ledger.attempts();
        assert.is(attempts.length, CHUNKS, `no chunk started twice:\n${fleet.logs()}`);
        assert.ok(done.chunkList.every((c) => c.attempt === 1), 'every chunk on its first attempt');
        assert.equal(overlappingAttempts(attempts, { byTime: true }), []);
        assert.equal(kept.lines(/is gone|fatal/), []);
      } finally {
        await fleet.stopAll();
        await killMatching(ledger.marker);
      }
    }));
  }
});

test('a running node whose name is taken stops claiming, gives its chunks back and exits 1', async () => {
  await withTimeout(60_000, 'name taken', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const job = await submitExec(tmp.spool, ['--frames', '1-2', '--chunk', '1', '--retries', '0'], ledger.command(100, 0.1));
    const fleet = new Fleet(tmp.spool);
    try {
      const node = fleet.start('taken', { slots: 1 });
      await waitUntil('a chunk to start', async () => (await ledger.attempts()).length === 1, 20_000, 50);
      // another instance takes the name (as one that judged us dead after a long stall would)
      const claim = path.join(tmp.spool, 'nodes', '.names', 'taken');
      await fs.rename(claim, `${claim}-gone`);
      await fs.mkdir(claim);
      await fs.writeFile(path.join(claim, 'owner.json'), JSON.stringify({ instance: 'intruder', host: 'elsewhere', bootId: 'b', pidns: 'p', pid: 4242 }));
      const exit = await node.waitExit(20_000);
      assert.equal(exit, { code: 1, signal: null }, node.stderr);
      assert.match(node.stderr, /node name 'taken' was taken by renderd pid 4242 on elsewhere: this instance stops claiming/);
      const shown = await showJob(tmp.spool, job);
      assert.equal(shown.chunks, { total: 2, queued: 2, running: 0, done: 0, failed: 0 }, 'its chunk given back, nothing else claimed');
      assert.is((await ledger.attempts()).length, 1);
      assert.equal(JSON.parse(await fs.readFile(path.join(claim, 'owner.json'), 'utf8')).instance, 'intruder', 'the other instance keeps the name');
    } finally {
      await fleet.stopAll();
      await killMatching(ledger.marker);
    }
  }));
});

test.run();
