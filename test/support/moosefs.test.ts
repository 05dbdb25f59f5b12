// The test MooseFS itself: two mounts see one filesystem (a file written through one is read through the
// other, a rename is atomic, mkdir is exclusive across clients), its master's outage and hang are waited
// out by the clients, and destroy() leaves no mount, process or namespace behind.
// test-runner: needs moosefs
import fs from 'node:fs/promises';
import path from 'node:path';
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { sleep, withTempSpool, withTimeout } from './index.js';
import { isRunning } from './foreground.js';
import { MooseVolume, mooseUnavailable, mountsUnder } from './moosefs.js';
import { interfaceExists, listNetns } from './netns.js';
import { gate } from './requires.js';

const test = gate(uvuTest, 'MooseFS', mooseUnavailable());

const FAULT_MS = 3_000;
/** When a call is started after the fault began: it has the rest of the fault to wait out. */
const CALL_AFTER_MS = 500;

/** Runs `call` once the fault has lasted CALL_AFTER_MS; how long it took, and its error code if it failed. */
async function callDuring(fault: Promise<void>, call: () => Promise<unknown>): Promise<{ ms: number; code?: string }> {
  await sleep(CALL_AFTER_MS);
  const started = performance.now();
  const outcome = await call().then(() => ({}), (error: NodeJS.ErrnoException) => ({ code: error.code ?? String(error) }));
  await fault;
  return { ms: Math.round(performance.now() - started), ...outcome };
}

test('two mounts of one MooseFS: shared files, atomic rename, exclusive mkdir; outage and hang waited out; nothing left after destroy', async () => {
  await withTimeout(180_000, 'moosefs', () => withTempSpool(async (tmp) => {
    const dir = tmp.path('moosefs');
    const createdAt = performance.now();
    const volume = await MooseVolume.create(dir, 2);
    const createMs = Math.round(performance.now() - createdAt);
    let pids: number[] = [];
    try {
      const [m1, m2] = volume.mounts;
      pids = volume.pids();
      assert.equal(mountsUnder(dir), [m1, m2]);

      await fs.writeFile(path.join(m1, 'frame.txt'), 'frame 1\n');
      assert.is(await fs.readFile(path.join(m2, 'frame.txt'), 'utf8'), 'frame 1\n', 'written through mount 1, read through mount 2');

      await fs.writeFile(path.join(m1, 'claim.tmp'), 'node a\n');
      await fs.writeFile(path.join(m2, 'claim'), 'node b\n');
      await fs.rename(path.join(m1, 'claim.tmp'), path.join(m1, 'claim'));
      assert.is(await fs.readFile(path.join(m2, 'claim'), 'utf8'), 'node a\n', 'a rename through mount 1 replaces the file mount 2 sees');
      assert.equal(await fs.readdir(m2).then((names) => names.sort()), ['claim', 'frame.txt']);

      await fs.mkdir(path.join(m1, 'lock'));
      const second = await fs.mkdir(path.join(m2, 'lock')).then(() => 'made', (error: NodeJS.ErrnoException) => error.code);
      assert.is(second, 'EEXIST', 'mkdir through mount 2 of a folder mount 1 made');

      const outageAt = performance.now();
      const outage = volume.outage(FAULT_MS);
      const duringOutage = await callDuring(outage, () => fs.writeFile(path.join(m1, 'during-outage'), 'x'));
      const outageMs = Math.round(performance.now() - outageAt);
      assert.is(duringOutage.code, undefined, 'a create during the outage completes once the master is back');
      assert.ok(duringOutage.ms >= FAULT_MS - CALL_AFTER_MS - 500, `the create waited for the master (${duringOutage.ms} ms)`);
      assert.is(await fs.readFile(path.join(m2, 'during-outage'), 'utf8'), 'x');
      assert.is(await fs.readFile(path.join(m2, 'claim'), 'utf8'), 'node a\n', 'the master restarted with everything written before it was killed');

      const hangAt = performance.now();
      const hang = volume.hang(FAULT_MS);
      const duringHang = await callDuring(hang, () => fs.mkdir(path.join(m2, 'during-hang')));
      const hangMs = Math.round(performance.now() - hangAt);
      assert.is(duringHang.code, undefined, 'a mkdir during the hang completes once the master runs again');
      assert.ok(duringHang.ms >= FAULT_MS - CALL_AFTER_MS - 500, `the mkdir waited for the master (${duringHang.ms} ms)`);
      assert.ok((await fs.stat(path.join(m1, 'during-hang'))).isDirectory());

      await fs.writeFile(path.join(m2, 'after'), 'after the faults\n');
      assert.is(await fs.readFile(path.join(m1, 'after'), 'utf8'), 'after the faults\n');
      console.log(`    moosefs: create ${createMs} ms; outage(${FAULT_MS}) ${outageMs} ms, a create in it waited ${duringOutage.ms} ms; hang(${FAULT_MS}) ${hangMs} ms, a mkdir in it waited ${duringHang.ms} ms`);
      pids = [...new Set([...pids, ...volume.pids()])];
    } finally {
      await volume.destroy();
    }
    assert.equal(mountsUnder(dir), [], 'nothing left mounted');
    assert.not.ok(listNetns().includes(volume.netns), `namespace ${volume.netns} deleted`);
    assert.not.ok(interfaceExists(volume.host.hostInterface), `veth ${volume.host.hostInterface} deleted`);
    assert.equal(pids.filter(isRunning), [], 'no MooseFS process left');
  }));
});

test.run();
