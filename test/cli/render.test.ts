// The real `render` binary: exit codes, stdout and stderr. Usage errors exit 2 with one line on stderr
// and touch nothing; --json prints exactly one JSON document on stdout.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
// the binary itself: this file is the contract of exit codes and one-line errors
import { Fleet, renderJson, runRenderBinary as runRender, submitExec, withTempSpool, withTimeout, writeScript, type RunResult, type ShowJson } from '../support/index.js';

const TEST_TIMEOUT_MS = 60_000;

function oneLine(result: RunResult): string {
  const lines = result.stderr.split('\n').filter(Boolean);
  assert.is(lines.length, 1, `expected one stderr line, got:\n${result.stderr}`);
  return lines[0];
}

function usageError(result: RunResult, pattern: RegExp): void {
  assert.is(result.code, 2, `exit code (stderr: ${result.stderr})`);
  assert.is(result.stdout, '');
  assert.match(oneLine(result), pattern);
}

async function jobsOn(spool: string): Promise<string[]> {
  return (await fs.readdir(path.join(spool, 'jobs')).catch(() => [])).filter((n) => !n.startsWith('.'));
}

const USAGE: [string, string[], RegExp][] = [
  ['unknown flag', ['list', '--bogus'], /unknown option '--bogus'/],
  ['unknown command', ['bogus'], /unknown command 'bogus'/],
  ['exec --frames 10-1', ['exec', '--frames', '10-1', '--', 'true'], /^render: frame spec '10-1': range '10-1' ends before it starts$/],
  ['exec --frames garbage', ['exec', '--frames', '1-x', '--', 'true'], /frame spec '1-x'/],
  ['exec --chunk 0', ['exec', '--chunk', '0', '--', 'true'], /--chunk must be from 1/],
  ['exec --chunk 1.5', ['exec', '--chunk', '1.5', '--', 'true'], /--chunk must be a whole number, got '1.5'/],
  ['exec --retries -1', ['exec', '--retries', '-1', '--', 'true'], /--retries/],
  ['exec --timeout 5x', ['exec', '--timeout', '5x', '--', 'true'], /--timeout must be a duration like 90s, 5m or 1h30m, got '5x'/],
  ['exec --priority high', ['exec', '--priority', 'high', '--', 'true'], /--priority must be a whole number/],
  ['exec --pool ../x', ['exec', '--pool', '../x', '--', 'true'], /--pool '\.\.\/x'/],
  ['exec without a command', ['exec'], /missing required argument 'command'/],
  ['exec --hooks missing folder', ['exec', '--hooks', '/nonexistent/hooks', '--', 'true'], /hook folder \/nonexistent\/hooks does not exist/],
  ['show nosuchjob', ['show', 'nosuchjob'], /^render: no job 'nosuchjob' on spool /],
  ['show nosuchjob --json', ['show', 'nosuchjob', '--json'], /^render: no job 'nosuchjob'/],
  ['wait nosuchjob', ['wait', 'nosuchjob'], /no job 'nosuchjob'/],
  ['wait without a job', ['wait'], /missing required argument 'job'/],
  ['pause nosuchjob', ['pause', 'nosuchjob'], /no job 'nosuchjob'/],
  ['priority with a bad number', ['priority', 'x', 'high'], /priority must be a whole number, got 'high'/],
  ['node pause of an unknown node', ['node', 'pause', 'ghost'], /no node 'ghost'/],
  ['node pause of a path', ['node', 'pause', '../x'], /'\.\.\/x' is not a node name/],
];

for (const [name, args, pattern] of USAGE) {
  test(`usage error: ${name} → exit 2, one line, nothing queued`, async () => {
    await withTempSpool(async (tmp) => {
      usageError(await runRender(['--spool', tmp.spool, ...args]), pattern);
      assert.equal(await jobsOn(tmp.spool), []);
    });
  });
}

// Regression (found by this suite, fixed in 2f85147): commander put its suggestion on a second line.
test('usage error: a mistyped flag with a near match still prints one line', async () => {
  await withTempSpool(async (tmp) => {
    usageError(await runRender(['--spool', tmp.spool, 'list', '--jsn']), /unknown option '--jsn'/);
  });
});

test('exec with a hook that is not executable: exit 2, one line naming it, nothing queued', async () => {
  await withTempSpool(async (tmp) => {
    await writeScript(tmp.path('hooks', 'pre-ok'), 'exit 0\n');
    await writeScript(tmp.path('hooks', 'post-check'), 'exit 0\n', 0o644);
    const result = await runRender(['--spool', tmp.spool, 'exec', '--hooks', tmp.path('hooks'), '--', 'true']);
    usageError(result, new RegExp(`hook ${tmp.path('hooks', 'post-check').replace(/[.*+?^${}()|[\]\\]/g, '\\$&')} is not executable`));
    assert.equal(await jobsOn(tmp.spool), []);
    assert.equal(await fs.readdir(path.join(tmp.spool, 'active')).catch(() => []), []);
  });
});

test('exec --json: exactly one JSON document with id and chunk count; list --json entries carry the contract fields', async () => {
  await withTempSpool(async (tmp) => {
    const exec = await runRender(['--spool', tmp.spool, 'exec', '--frames', '1-7', '--chunk', '3', '--name', 'seven', '--priority', '4', '--json', '--', 'true']);
    assert.is(exec.code, 0, exec.stderr);
    assert.is(exec.stderr, '');
    const submitted = JSON.parse(exec.stdout) as { id: string; chunks: number };
    assert.type(submitted.id, 'string');
    assert.is(submitted.chunks, 3);

    const list = await runRender(['--spool', tmp.spool, 'list', '--json']);
    assert.is(list.code, 0);
    assert.is(list.stderr, '');
    const entries = JSON.parse(list.stdout) as Record<string, unknown>[];
    assert.is(entries.length, 1);
    const [entry] = entries;
    assert.is(entry.id, submitted.id);
    assert.is(entry.name, 'seven');
    assert.is(entry.state, 'queued');
    assert.is(entry.priority, 4);
    assert.equal(entry.chunks, { total: 3, queued: 3, running: 0, done: 0, failed: 0 });
  });
});

test('show --json: one document with state, counts and the chunk list', async () => {
  await withTempSpool(async (tmp) => {
    const id = await submitExec(tmp.spool, ['--frames', '1-5', '--chunk', '2'], ['true']);
    const show = await runRender(['--spool', tmp.spool, 'show', id, '--json']);
    assert.is(show.code, 0);
    assert.is(show.stderr, '');
    const job = JSON.parse(show.stdout) as ShowJson;
    assert.is(job.id, id);
    assert.is(job.state, 'queued');
    assert.equal(job.chunks, { total: 3, queued: 3, running: 0, done: 0, failed: 0 });
    assert.equal(job.chunkList.map((c) => [c.id, c.frames, c.state, c.attempt]), [['0001', [1, 2], 'queued', 0], ['0002', [3, 4], 'queued', 0], ['0003', [5], 'queued', 0]]);
    // a unique prefix of the id names the job too
    assert.is((await renderJson<ShowJson>(tmp.spool, ['show', id.slice(0, 10)])).id, id);
  });
});

test('list --json on an empty spool is []; nodes --json is []', async () => {
  await withTempSpool(async (tmp) => {
    for (const command of ['list', 'nodes']) {
      const result = await runRender(['--spool', tmp.spool, command, '--json']);
      assert.is(result.code, 0);
      assert.equal(JSON.parse(result.stdout), []);
    }
  });
});

test('control commands with --json print one document each', async () => {
  await withTempSpool(async (tmp) => {
    const id = await submitExec(tmp.spool, ['--frames', '1-2'], ['true']);
    for (const args of [['pause', id], ['resume', id], ['retry', id], ['priority', id, '7'], ['remove', id]]) {
      const result = await runRender(['--spool', tmp.spool, ...args, '--json']);
      assert.is(result.code, 0, `${args[0]}: ${result.stderr}`);
      assert.not.throws(() => JSON.parse(result.stdout), `${args[0]} prints one JSON document: ${result.stdout}`);
    }
    assert.equal(await renderJson(tmp.spool, ['list']), []);
  });
});

test('render wait: 0 when done, 1 when failed, 1 for a removed job; --json is one document', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'render wait', () => withTempSpool(async (tmp) => {
    const good = await submitExec(tmp.spool, ['--frames', '1-3', '--chunk', '1', '--name', 'good'], ['true']);
    const bad = await submitExec(tmp.spool, ['--frames', '1-2', '--chunk', '1', '--retries', '0', '--name', 'bad'], ['false']);
    const fleet = new Fleet(tmp.spool);
    try {
      const node = fleet.start('w1', { exitWhenIdle: true });
      const exit = await node.waitExit(30_000);
      assert.is(exit.code, 0, node.stderr);

      const waitGood = await runRender(['--spool', tmp.spool, 'wait', good]);
      assert.is(waitGood.code, 0, waitGood.stderr);
      assert.is(waitGood.stderr, '');
      assert.match(waitGood.stdout, new RegExp(`^${good} done 3/3 done, 0 running, 0 failed\n$`));

      const waitBad = await runRender(['--spool', tmp.spool, 'wait', bad]);
      assert.is(waitBad.code, 1);
      assert.match(oneLine(waitBad), new RegExp(`^render: job ${bad} \\(bad\\) failed: 2 chunk\\(s\\) failed`));

      const both = await runRender(['--spool', tmp.spool, 'wait', good, bad, '--json']);
      assert.is(both.code, 1);
      const summaries = JSON.parse(both.stdout) as { id: string; state: string }[];
      assert.equal(summaries.map((s) => [s.id, s.state]), [[good, 'done'], [bad, 'failed']]);

      const waitJson = await runRender(['--spool', tmp.spool, 'wait', good, '--json']);
      assert.is(waitJson.code, 0);
      assert.is((JSON.parse(waitJson.stdout) as unknown[]).length, 1);

      // a job removed while waited for
      const slow = await submitExec(tmp.spool, ['--paused'], ['true']);
      const waiting = runRender(['--spool', tmp.spool, 'wait', slow]);
      await new Promise((r) => setTimeout(r, 700));
      assert.is((await runRender(['--spool', tmp.spool, 'remove', slow])).code, 0);
      const waitRemoved = await waiting;
      assert.is(waitRemoved.code, 1);
      assert.match(oneLine(waitRemoved), new RegExp(`job ${slow} was removed while waiting`));
    } finally {
      await fleet.stopAll();
    }
  }));
});

test('spool from RENDER_SPOOL when --spool is absent', async () => {
  await withTempSpool(async (tmp) => {
    const env = { ...process.env, RENDER_SPOOL: tmp.spool };
    const exec = await runRender(['exec', '--json', '--', 'true'], { env });
    assert.is(exec.code, 0, exec.stderr);
    const list = await runRender(['list', '--json'], { env });
    assert.is((JSON.parse(list.stdout) as unknown[]).length, 1);
  });
});

test.run();
