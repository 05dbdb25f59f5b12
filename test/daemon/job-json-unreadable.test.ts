// Issue 24: a job.json that cannot be read for a while (a filer coming back, a hand edit gone wrong) is a
// broken job until it reads again — never a removed one: its running render goes on, and the job ends
// done once the file is whole again. Quarantined, it read as removed for ever.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, Ledger, sleep, submitExec, waitJobEnded, waitUntil, withTempSpool, withTimeout } from '../support/index.js';

test('job.json unreadable for 3 s while its chunks run: no render stopped, the job ends done', async () => {
  await withTimeout(60_000, 'job.json unreadable', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const fleet = new Fleet(tmp.spool);
    try {
      const job = await submitExec(tmp.spool, ['--frames', '1-4', '--chunk', '1', '--retries', '0'], ledger.command(16, 0.25));
      fleet.start('n1', { slots: 2, pollMs: 200 });
      await waitUntil('a render to start', async () => (await ledger.events()).some((e) => e.kind === 'START'), 20_000, 50);
      const file = path.join(tmp.spool, 'jobs', job, 'job.json');
      const whole = await fs.readFile(file);
      await fs.writeFile(file, '{"v": 1, "id": '); // cut short: what a failed read would show
      await sleep(3000); // the fault itself: job.json stays unreadable for 3 s
      await fs.writeFile(file, whole);
      const shown = await waitJobEnded(tmp.spool, job, 40_000, 200);
      assert.is(shown.state, 'done', fleet.logs());
      assert.ok(shown.chunkList.every((c) => c.attempt === 1), `no render stopped: ${JSON.stringify(shown.chunkList.map((c) => [c.id, c.attempt]))}`);
      assert.equal(await fs.readdir(path.join(tmp.spool, 'quarantine')).catch(() => []), [], 'job.json was left where it is');
    } finally {
      await fleet.stopAll();
    }
  }));
});

test.run();
