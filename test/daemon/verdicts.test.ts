// What an idle node remembers about jobs it could not run (issue 17): table tests of when a job passed
// over is worth a look again, and, on a real spool, that a poll where nothing changed reads no queue
// while a chunk put back in the queue is found once active/ says so.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import { DEFAULT_CADENCE } from '../../src/daemon/cadence.js';
import * as assert from 'uvu/assert';
import { JobVerdicts, type PassReason } from '../../src/daemon/verdicts.js';
import { ChunkFinder } from '../../src/daemon/finder.js';
import { Job, Spool } from '../../src/index.js';
import { noteActiveChange } from '../../src/jobs/active.js';
import { currentIdentity, newInstanceId } from '../../src/nodes/host.js';
import { withTempSpool, withTimeout } from '../support/index.js';

const RECHECK_MS = DEFAULT_CADENCE.passedRecheckMs;

// [reason, looked at again at +1 ms, +RECHECK_MS, +1 h, after a change of active/, when woken]
const TABLE: [PassReason, boolean, boolean, boolean, boolean, boolean][] = [
  [{ kind: 'never' }, false, false, false, false, false],
  [{ kind: 'on-change' }, false, false, true, true, true], // at 1 h: an announcement may have been lost (ON_CHANGE_RECHECK_MS)
  [{ kind: 'until', atMs: 1000 + 60_000 }, false, false, true, false, true],
  [{ kind: 'recheck' }, false, true, true, false, true],
];

for (const [reason, soon, later, much, change, woken] of TABLE) {
  test(`a job passed over (${reason.kind}) is looked at again: soon ${soon}, after ${RECHECK_MS} ms ${later}, after 1 h ${much}, on change ${change}, woken ${woken}`, () => {
    const looked = (setup: (v: JobVerdicts) => void, atMs: number, onlyNever = false) => {
      const v = new JobVerdicts(DEFAULT_CADENCE);
      v.passed('j1', 'j1.p0', reason, 1000);
      setup(v);
      return !v.skip('j1', 'j1.p0', atMs, onlyNever);
    };
    assert.is(looked(() => undefined, 1001), soon);
    assert.is(looked(() => undefined, 1000 + RECHECK_MS), later);
    assert.is(looked(() => undefined, 1000 + 3_600_000), much);
    assert.is(looked((v) => v.changed(), 1001), change);
    assert.is(looked(() => undefined, 1001, true), woken);
  });
}

test('a new entry name (priority, pause) forgets the verdict; keepOnly drops finished jobs', () => {
  const v = new JobVerdicts(DEFAULT_CADENCE);
  v.passed('j1', 'j1.p0', { kind: 'never' }, 0);
  assert.ok(v.skip('j1', 'j1.p0', 1));
  assert.not.ok(v.skip('j1', 'j1.p5', 1));
  v.keepOnly(new Set());
  assert.not.ok(v.skip('j1', 'j1.p0', 1));
  assert.is(v.nextDueMs(), Infinity);
});

test('an idle poll skips a job with nothing queued until active/ changes', async () => {
  await withTimeout(20_000, 'idle poll', () => withTempSpool(async (tmp) => {
    const spool = await Spool.open(tmp.spool);
    const [job] = await spool.submit(Job.exec(['true'], { frames: '1', chunk: 1 }), { cwd: path.dirname(tmp.spool) });
    const finder = new ChunkFinder({ ctx: spool.ctx, node: { name: 'n1', tags: [], memTotalBytes: 2 ** 34 }, liveNodes: () => ['n1'], nowMs: () => Date.now(), cadence: DEFAULT_CADENCE });
    const holder = { node: 'n1', instance: newInstanceId(), ...currentIdentity() };
    const queued = path.join(spool.ctx.layout.jobDir(job.id), 'queued');
    const [chunk] = fs.readdirSync(queued);
    // the chunk leaves the queue behind everybody's back: the job gives nothing, and is remembered so
    fs.renameSync(path.join(queued, chunk), path.join(tmp.dir, chunk));
    assert.is(await finder.claimNext(holder, { poll: true }), null);
    fs.renameSync(path.join(tmp.dir, chunk), path.join(queued, chunk));
    assert.is(await finder.claimNext(holder, { poll: true }), null, 'confirming poll: active/ unchanged, the queue is not read');
    assert.is(await finder.claimNext(holder, { poll: true }), null, 'nothing changed: the queue is not read');
    await noteActiveChange(spool.ctx);
    const claimed = await finder.claimNext(holder, { poll: true });
    assert.ok(claimed, 'active/ changed: the queue is read and the chunk claimed');
    await claimed!.lock.release();
  }));
});

test.run();
