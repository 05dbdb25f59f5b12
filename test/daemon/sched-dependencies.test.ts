// Dependencies on a real node: --after A waits for A to be done, --after A:any for A to end either way,
// --after a failed A never runs; bad references and cycles are usage errors that queue nothing; job graph
// files run in order with `render run --local`.
import fs from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, Ledger, renderJson, runRender, showJob, submitExec, withTempSpool, withTimeout, type LedgerEvent } from '../support/index.js';
import { ledgerThen } from '../scheduling-support.js';

const TEST_TIMEOUT_MS = 45_000;

const firstIndex = (events: LedgerEvent[], job: string, kind: LedgerEvent['kind']) => events.find((e) => e.job === job && e.kind === kind)?.index ?? -1;
const lastIndex = (events: LedgerEvent[], job: string, kind: LedgerEvent['kind']) => events.filter((e) => e.job === job && e.kind === kind).at(-1)?.index ?? -1;

test('B --after A starts after A is done; C --after A2:any runs though A2 failed; D --after A2 never runs and ends failed, naming A2', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'dependencies', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const opts = { cwd: tmp.dir };
    const a = await submitExec(tmp.spool, ['--frames', '1-2', '--chunk', '1', '--name', 'alpha'], ledger.command(1, 0.5), opts);
    // by name, and submitted before A has even started
    const b = await submitExec(tmp.spool, ['--frames', '1-2', '--chunk', '1', '--after', 'alpha', '--name', 'beta'], ledger.command(), opts);
    const a2 = await submitExec(tmp.spool, ['--retries', '0', '--name', 'broken'], ledgerThen(ledger, 'exit 1', 1, 0.3), opts);
    const c = await submitExec(tmp.spool, ['--after', `${a2}:any`, '--name', 'cleanup'], ledger.command(), opts);
    const d = await submitExec(tmp.spool, ['--after', a2, '--after', a, '--name', 'never'], ledger.command(), opts);
    const fleet = new Fleet(tmp.spool);
    try {
      // 4 slots: B, C and D could all start at once if the node ignored their dependencies
      const node = fleet.start('deps', { slots: 4, exitWhenIdle: true });
      const exit = await node.waitExit(TEST_TIMEOUT_MS - 10_000);
      assert.equal(exit, { code: 0, signal: null }, `the node exits once only D is left, which can never run:\n${node.stderr.slice(-2000)}`);

      const events = await ledger.events();
      assert.ok(lastIndex(events, a, 'END') >= 0 && firstIndex(events, b, 'START') > lastIndex(events, a, 'END'), 'B started after the last chunk of A ended');
      assert.ok(firstIndex(events, c, 'START') > lastIndex(events, a2, 'END'), 'C started after A2 ended');
      assert.is(firstIndex(events, d, 'START'), -1, 'D never ran');

      const states = Object.fromEntries(await Promise.all([a, b, a2, c, d].map(async (id) => [id, (await showJob(tmp.spool, id)).state])));
      // every job ends: D's dependency failed, so D did too, with the reason
      assert.equal(states, { [a]: 'done', [b]: 'done', [a2]: 'failed', [c]: 'done', [d]: 'failed' });
      assert.is(((await showJob(tmp.spool, d)) as unknown as { reason?: string }).reason, `dependency ${a2} failed`);
    } finally {
      await fleet.stopAll();
    }
  }));
});

test('--after an unknown job: exit 2, one line naming it, nothing queued', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'unknown --after', () => withTempSpool(async (tmp) => {
    const result = await runRender(['--spool', tmp.spool, 'exec', '--after', 'nosuch', '--', 'true'], { cwd: tmp.dir });
    assert.is(result.code, 2);
    assert.is(result.stdout, '');
    assert.is(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /--after nosuch/);
    assert.equal(await renderJson(tmp.spool, ['list']), []);
  }));
});

async function writeGraph(file: string, jobs: unknown[]): Promise<string> {
  await fs.writeFile(file, JSON.stringify({ jobs }));
  return file;
}

test('render submit with a cycle: exit 2 naming the cycle, nothing queued (not even the jobs outside it)', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'cycle', () => withTempSpool(async (tmp) => {
    const graph = await writeGraph(tmp.path('cycle.json'), [
      { ref: 'ok', command: ['true'] },
      { ref: 'a', command: ['true'], after: ['b'] },
      { ref: 'b', command: ['true'], after: ['a'] },
    ]);
    const result = await runRender(['--spool', tmp.spool, 'submit', graph], { cwd: tmp.dir });
    assert.is(result.code, 2);
    assert.is(result.stdout, '');
    assert.is(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /cycle: a → b → a/);
    assert.equal(await renderJson(tmp.spool, ['list']), []);
  }));
});

test('render run --local: a group runs before the job after it (exit 0)', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'run --local', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const graph = await writeGraph(tmp.path('graph.json'), [
      { ref: 'last', command: ledger.command(), after: ['sims'] },
      { ref: 'sims', group: ['cloth', 'smoke'] },
      { ref: 'cloth', command: ledger.command(1, 0.4), frames: '1-2', chunk: 1 },
      { ref: 'smoke', command: ledger.command(1, 0.2), frames: '1-3', chunk: 1 },
    ]);
    const result = await runRender(['--spool', tmp.path('run-spool'), 'run', graph, '--local', '--slots', '3', '--json'], { cwd: tmp.dir });
    assert.is(result.code, 0, result.stderr);
    const report = JSON.parse(result.stdout) as { jobs: { ref: string; id: string }[]; failed: string[] };
    assert.equal(report.failed, []);
    const id = Object.fromEntries(report.jobs.map((j) => [j.ref, j.id]));
    assert.equal(Object.keys(id).sort(), ['cloth', 'last', 'smoke']);
    const events = await ledger.events();
    assert.is(events.filter((e) => e.kind === 'END').length, 6, 'every chunk ran');
    const sims = Math.max(lastIndex(events, id.cloth, 'END'), lastIndex(events, id.smoke, 'END'));
    assert.ok(firstIndex(events, id.last, 'START') > sims, 'last started after every chunk of the group ended');
  }));
});

test('render run --local: a failing job exits 1, and the job after it does not run', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'run --local failing', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const graph = await writeGraph(tmp.path('graph.json'), [
      { ref: 'bad', command: ledgerThen(ledger, 'exit 3'), retries: 0 },
      { ref: 'next', command: ledger.command(), after: ['bad'] },
    ]);
    const result = await runRender(['--spool', tmp.path('run-spool'), 'run', graph, '--local', '--json'], { cwd: tmp.dir });
    assert.is(result.code, 1, result.stderr);
    const report = JSON.parse(result.stdout) as { jobs: { ref: string; id: string }[]; failed: string[] };
    const id = Object.fromEntries(report.jobs.map((j) => [j.ref, j.id]));
    assert.equal([...report.failed].sort(), [id.bad, id.next].sort());
    const events = await ledger.events();
    assert.equal(events.filter((e) => e.kind === 'START').map((e) => e.job), [id.bad], 'only the failing job ran');
  }));
});

test.run();
