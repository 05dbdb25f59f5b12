// A hook printing 512 MB without a newline: the node stays up, its memory stays bounded, the chunk's log
// keeps its head and tail with a note of what was cut.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, showJob, submitExec, waitUntil, withTempSpool, withTimeout } from '../support/index.js';

test('512 MB without a newline: the chunk is done, the node peaks under 400 MB, the log is capped', async () => {
  await withTimeout(240_000, 'long output', () => withTempSpool(async (tmp) => {
    const job = await submitExec(tmp.spool, ['--retries', '0'], ['sh', '-c', "head -c 536870912 /dev/zero | tr '\\0' x"]);
    const fleet = new Fleet(tmp.spool);
    try {
      const node = fleet.start('big');
      let peakKb = 0;
      await waitUntil('the chunk to end', async () => {
        const status = await fs.readFile(`/proc/${node.pid}/status`, 'utf8').catch(() => '');
        peakKb = Math.max(peakKb, Number(/VmHWM:\s+(\d+)/.exec(status)?.[1] ?? 0));
        const shown = await showJob(tmp.spool, job);
        return shown.state === 'done' || shown.state === 'failed' ? shown : false;
      }, 220_000, 500);
      assert.ok(node.running, `the node is still up:\n${node.stderr.slice(-2000)}`);
      assert.is((await showJob(tmp.spool, job)).state, 'done');
      assert.ok(peakKb < 400 * 1024, `node peaked at ${Math.round(peakKb / 1024)} MB`);
      const log = path.join(tmp.spool, 'jobs', job, 'logs', '0001.1.log');
      const size = (await fs.stat(log)).size;
      assert.ok(size < 20 * 1024 * 1024, `log is ${size} bytes`);
      const text = await fs.readFile(log, 'utf8');
      assert.match(text, /bytes of output cut here/);
      console.log(`  peak ${Math.round(peakKb / 1024)} MB, log ${Math.round(size / 1024 / 1024)} MB`);
    } finally {
      await fleet.stopAll();
    }
  }));
});

test.run();
