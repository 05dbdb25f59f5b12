// The TypeScript API against a real renderd: Spool.open, Job.exec(...).after(...), Group, spool.submit,
// spool.wait, get, list, pause/resume — and a graph that cannot be queued queues nothing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Group, Job, NotFoundError, Spool, UsageError } from '../../src/index.js';
import { Fleet, Ledger, sleep, withTempSpool, withTimeout, type LedgerEvent } from '../support/index.js';
import { ledgerThen } from '../scheduling-support.js';

const TEST_TIMEOUT_MS = 40_000;

const lastEnd = (events: LedgerEvent[], job: string) => Math.max(-1, ...events.filter((e) => e.job === job && e.kind === 'END').map((e) => e.index));
const firstStart = (events: LedgerEvent[], job: string) => events.find((e) => e.job === job && e.kind === 'START')?.index ?? -1;

test('a group, a job after it and one after any end: submitted in order, run in order, waited for', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'api graph', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const spool = await Spool.open(tmp.spool);
    const cloth = Job.exec(ledger.command(1, 0.3), { name: 'cloth', frames: '1-2', chunk: 1 });
    const smoke = Job.exec(ledger.command(1, 0.2), { name: 'smoke', frames: '1-3', chunk: 1 });
    const sims = new Group('sims', [cloth, smoke]);
    const shot = Job.exec(ledger.command(), { name: 'shot', frames: '1-4', chunk: 2 }).after(sims);
    const flaky = Job.exec(ledgerThen(ledger, 'exit 1'), { name: 'flaky', retries: 0 });
    const report = Job.exec(ledger.command(), { name: 'report' }).after(shot).afterAny(flaky);

    const submitted = await spool.submit([report], { cwd: tmp.dir });
    const id = Object.fromEntries(submitted.map((s) => [s.name, s.id]));
    assert.equal(Object.keys(id).sort(), ['cloth', 'flaky', 'report', 'shot', 'smoke']);
    assert.equal(submitted.find((s) => s.name === 'shot')!.chunks, 2);
    const names = submitted.map((s) => s.name);
    assert.ok(names.indexOf('shot') > names.indexOf('cloth') && names.indexOf('shot') > names.indexOf('smoke') && names.indexOf('report') === 4, `dependencies first: ${names.join(', ')}`);
    assert.equal((await spool.list()).map((j) => j.name).sort(), ['cloth', 'flaky', 'report', 'shot', 'smoke']);

    const fleet = new Fleet(tmp.spool);
    try {
      fleet.start('api1', { slots: 3 });
      const finished = await spool.wait(submitted.map((s) => s.id), { pollMs: 100 });
      assert.equal(Object.fromEntries(finished.map((j) => [j.name, j.state])), { cloth: 'done', smoke: 'done', shot: 'done', flaky: 'failed', report: 'done' });

      const events = await ledger.events();
      assert.ok(firstStart(events, id.shot) > Math.max(lastEnd(events, id.cloth), lastEnd(events, id.smoke)), 'shot after the whole group');
      assert.ok(firstStart(events, id.report) > Math.max(lastEnd(events, id.shot), lastEnd(events, id.flaky)), 'report after shot and flaky');
      const shot = await spool.get('shot');
      assert.equal(shot.chunkList.map((c) => [c.id, c.state, c.frames]), [['0001', 'done', [1, 2]], ['0002', 'done', [3, 4]]]);
      assert.equal(shot.chunks, { total: 2, queued: 0, running: 0, done: 2, failed: 0 });
    } finally {
      await fleet.stopAll();
    }
  }));
});

test('pause and resume through the API: a paused job is not run', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'api pause', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const spool = await Spool.open(tmp.spool);
    const [job] = await spool.submit(Job.exec(ledger.command(), { name: 'held' }), { cwd: tmp.dir });
    await spool.pause(job.id);
    assert.is((await spool.get(job.id)).state, 'paused');
    const fleet = new Fleet(tmp.spool);
    try {
      const node = fleet.start('p1', { exitWhenIdle: true });
      assert.equal(await node.waitExit(15_000), { code: 0, signal: null }, 'a paused job is nothing to run');
      assert.is((await ledger.events()).length, 0);
      await spool.resume(job.id);
      fleet.start('p2', { exitWhenIdle: true });
      const [done] = await spool.wait(job.id, { pollMs: 100 });
      assert.is(done.state, 'done');
    } finally {
      await fleet.stopAll();
    }
  }));
});

test('a graph that cannot be queued queues nothing: a cycle, a bad option in one job, an unknown dependency', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'api all or nothing', () => withTempSpool(async (tmp) => {
    const spool = await Spool.open(tmp.spool);
    const a = Job.exec(['true'], { name: 'a' });
    const b = Job.exec(['true'], { name: 'b' }).after(a);
    a.after(b);
    const cases: [string, () => Promise<unknown>, RegExp][] = [
      ['cycle', () => spool.submit([Job.exec(['true'], { name: 'free' }), a], { cwd: tmp.dir }), /cycle/],
      ['bad option', () => spool.submit([Job.exec(['true'], { name: 'fine' }), Job.exec(['true'], { maxNodes: 0 })], { cwd: tmp.dir }), /--max-nodes/],
      ['unknown dependency', () => spool.submit([Job.exec(['true'], { name: 'ok' }), Job.exec(['true']).after('nosuch-job')], { cwd: tmp.dir }), /--after nosuch-job/],
    ];
    for (const [what, submit, pattern] of cases) {
      try {
        await submit();
        assert.unreachable(`${what}: should have thrown`);
      } catch (error) {
        assert.instance(error, UsageError, `${what}: ${(error as Error).message}`);
        assert.match((error as Error).message, pattern);
      }
      assert.equal(await spool.list(), [], `${what}: nothing queued`);
    }
  }));
});

test('wait on a job that gets removed rejects with NotFoundError', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'api wait removed', () => withTempSpool(async (tmp) => {
    const spool = await Spool.open(tmp.spool);
    const [job] = await spool.submit(Job.exec(['true']), { cwd: tmp.dir });
    const waiting = spool.wait(job.id, { pollMs: 50 }).then(() => 'resolved', (error) => error);
    await sleep(200);
    await spool.remove(job.id);
    const outcome = await waiting;
    assert.instance(outcome, NotFoundError);
    try {
      await spool.get(job.id);
      assert.unreachable('the job is gone');
    } catch (error) {
      assert.instance(error, NotFoundError);
    }
  }));
});

test.run();
