// render clean: finished jobs older than an age leave the spool (dry run first), what it frees is said,
// outputs stay, and a job an unfinished job still waits for is kept.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, renderJson, runRender, showJob, submitExec, withTempSpool, withTimeout, writeScript } from '../support/index.js';

interface CleanJson { dryRun: boolean; jobs: { id: string; state: string; bytes: number }[]; bytes: number; kept: { id: string; neededBy: string[] }[] }

/** Makes a finished job look as if its last chunk ended `days` ago. */
async function age(spool: string, job: string, days: number): Promise<void> {
  const when = new Date(Date.now() - days * 86_400_000);
  for (const state of ['done', 'failed']) await fs.utimes(path.join(spool, 'jobs', job, state), when, when);
}

test('render clean removes old done and failed jobs, keeps new ones, outputs and needed parents; --dry-run removes nothing', async () => {
  await withTimeout(120_000, 'clean', () => withTempSpool(async (tmp) => {
    const out = tmp.path('out');
    await fs.mkdir(out);
    const make = await writeScript(tmp.path('bin', 'make'), `echo frame > "${out}/f.$RENDER_CHUNK"\n`);
    const oldDone = await submitExec(tmp.spool, ['--name', 'old-done', '--frames', '1-2', '--chunk', '1'], [make]);
    const oldFailed = await submitExec(tmp.spool, ['--name', 'old-failed', '--retries', '0', '--frames', '1'], ['false']);
    const newDone = await submitExec(tmp.spool, ['--name', 'new-done', '--frames', '1'], ['true']);
    const parent = await submitExec(tmp.spool, ['--name', 'parent', '--frames', '1'], ['true']);
    const fleet = new Fleet(tmp.spool);
    try {
      const node = fleet.start('c1', { exitWhenIdle: true });
      assert.equal(await node.waitExit(60_000), { code: 0, signal: null }, node.stderr);
    } finally {
      await fleet.stopAll();
    }
    // a child that waits for parent, paused: unfinished
    const child = await submitExec(tmp.spool, ['--name', 'child', '--after', parent, '--paused', '--frames', '1'], ['true']);
    for (const job of [oldDone, oldFailed, parent]) await age(tmp.spool, job, 10);

    const dry = await renderJson<CleanJson>(tmp.spool, ['clean', '--done-older-than', '7d', '--failed-older-than', '7d', '--dry-run']);
    assert.equal(dry.jobs.map((j) => j.id).sort(), [oldDone, oldFailed].sort());
    assert.ok(dry.bytes > 0);
    assert.equal(dry.kept, [{ id: parent, neededBy: [child] }]);
    assert.is((await showJob(tmp.spool, oldDone)).state, 'done', 'a dry run removes nothing');

    const text = await runRender(['--spool', tmp.spool, 'clean', '--done-older-than', '7d', '--failed-older-than', '7d']);
    assert.is(text.code, 0, text.stderr);
    assert.match(text.stdout, /removed 2 job\(s\), freed \S+ on the spool \(outputs untouched\)/);
    const left = (await fs.readdir(path.join(tmp.spool, 'jobs'))).sort();
    assert.equal(left, [newDone, parent, child].sort());
    assert.equal((await fs.readdir(out)).sort(), ['f.0001', 'f.0002'], 'outputs stay');
  }));
});

test('render clean without an age is a usage error (exit 2, one line)', async () => {
  await withTempSpool(async (tmp) => {
    const result = await runRender(['--spool', tmp.spool, 'clean']);
    assert.is(result.code, 2);
    assert.is(result.stderr, 'render: render clean needs --done-older-than AGE and/or --failed-older-than AGE\n');
    const bad = await runRender(['--spool', tmp.spool, 'clean', '--done-older-than', 'soon']);
    assert.is(bad.code, 2);
    assert.match(bad.stderr, /--done-older-than must be a duration/);
  });
});

test.run();
