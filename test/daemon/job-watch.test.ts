// One watch per node on the jobs it runs (daemon/job-watch.ts): a pause or a removal, announced by active/,
// stops the job's chunks run here; a priority change (the entry renamed) stops nothing; nothing is read
// while the folder is unchanged.
import path from 'node:path';
import { test } from 'uvu';
import { DEFAULT_CADENCE } from '../../src/daemon/cadence.js';
import * as assert from 'uvu/assert';
import { Job, Spool } from '../../src/index.js';
import { RunningJobsWatch, type WatchedChunk } from '../../src/daemon/job-watch.js';
import { removeJob, setPaused, setPriority } from '../../src/jobs/control.js';
import { withTempSpool, withTimeout } from '../support/index.js';

const TEST_TIMEOUT_MS = 20_000;

async function setUp(dir: string) {
  const spool = await Spool.open(dir);
  const [a] = await spool.submit(Job.exec(['true'], { frames: '1-2', chunk: 1 }), { cwd: path.dirname(dir) });
  const [b] = await spool.submit(Job.exec(['true'], { frames: '1', chunk: 1 }), { cwd: path.dirname(dir) });
  const stopped: string[] = [];
  const chunk = (job: string, id: string): WatchedChunk => ({ job: { id: job }, record: { id }, ending: false, stop: (why) => stopped.push(`${job}/${id}: ${why}`) });
  const chunks = [chunk(a.id, '0001'), chunk(a.id, '0002'), chunk(b.id, '0001')];
  const watch = new RunningJobsWatch(spool.ctx, () => chunks, DEFAULT_CADENCE.activeFullListMs);
  return { ctx: spool.ctx, a: a.id, b: b.id, stopped, watch };
}

test('a priority change stops nothing; a pause stops that job\'s chunks, a removal the other\'s', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'watch', () => withTempSpool(async (tmp) => {
    const { ctx, a, b, stopped, watch } = await setUp(tmp.spool);
    await watch.check();
    assert.equal(stopped, []);
    await setPriority(ctx, a, 7);
    await watch.check(true);
    assert.equal(stopped, [], 'a renamed entry is not a paused one');
    await setPaused(ctx, a, true);
    await watch.check(true);
    assert.equal(stopped.sort(), [`${a}/0001: job paused`, `${a}/0002: job paused`]);
    stopped.length = 0;
    await removeJob(ctx, b);
    await watch.check(true);
    assert.ok(stopped.includes(`${b}/0001: job removed`));
  }));
});

test('a chunk that starts after its job was paused is stopped at the next look, with no change to active/', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'late', () => withTempSpool(async (tmp) => {
    const spool = await Spool.open(tmp.spool);
    const [job] = await spool.submit(Job.exec(['true'], { frames: '1', chunk: 1 }), { cwd: path.dirname(tmp.spool) });
    const chunks: WatchedChunk[] = [];
    const stopped: string[] = [];
    const watch = new RunningJobsWatch(spool.ctx, () => chunks, DEFAULT_CADENCE.activeFullListMs);
    chunks.push({ job: { id: 'other' }, record: { id: '0001' }, ending: false, stop: () => undefined });
    await setPaused(spool.ctx, job.id, true);
    await watch.check(true);
    chunks.push({ job: { id: job.id }, record: { id: '0001' }, ending: false, stop: (why) => stopped.push(why) });
    await watch.check();
    assert.equal(stopped, ['job paused']);
  }));
});

test.run();
