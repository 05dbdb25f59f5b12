// Job-level hooks: which scripts run for a finished job, their environment, and runJobHooks on a real
// spool (guarded runner, cwd the job folder, output in logs/job-events.log).
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { jobEventsLog, jobHookEnvironment, jobHookNames, jobStatusOf } from '../../src/reports/index.js';
import { runJobHooks } from '../../src/reports/job-hooks.js';
import { readJob } from '../../src/jobs/read.js';
import { openFarmAt } from '../../src/cli/farm.js';
import type { Cli } from '../../src/cli/context.js';
import type { JobRecord } from '../../src/spool/records.js';
import { submitExec, withTempSpool, withTimeout, writeScript } from '../support/index.js';

const NAMES = ['job-done-mail', 'job-failed-mail', 'job-done-webhook', 'job-done-', 'job-done-x~', 'pre-sync', 'job-failed-a', 'README.md', 'end-cleanup', 'job-done-0first'];
const SELECTIONS: ['ok' | 'failed', string[]][] = [
  ['ok', ['job-done-0first', 'job-done-mail', 'job-done-webhook']],
  ['failed', ['job-failed-a', 'job-failed-mail']],
];
for (const [status, names] of SELECTIONS) {
  test(`jobHookNames(${status}): the matching scripts in lexical order, backups and bare prefixes left out`, () => {
    assert.equal(jobHookNames(NAMES, status), names);
  });
}

test('jobStatusOf: any failed chunk makes the job failed', () => {
  assert.is(jobStatusOf({ failed: 0 }), 'ok');
  assert.is(jobStatusOf({ failed: 2 }), 'failed');
});

test('jobHookEnvironment: the chunk hooks\' job variables plus the chunk counts', () => {
  const job = { id: 'j1', name: 'shot 10', owner: 'ana', frames: '1-40', file: '/p/shot.blend', output: '//out/####' } as JobRecord;
  const env = jobHookEnvironment({ spool: '/s', job, counts: { total: 10, queued: 0, running: 0, done: 8, failed: 2 }, status: 'failed', node: 'n3', logFile: '/s/jobs/j1/logs/job-events.log' });
  assert.equal(env, {
    RENDER_SPOOL: '/s', RENDER_JOB: 'j1', RENDER_JOB_DIR: '/s/jobs/j1', RENDER_JOB_NAME: 'shot 10', RENDER_OWNER: 'ana', RENDER_STATUS: 'failed',
    RENDER_CHUNKS_TOTAL: '10', RENDER_CHUNKS_DONE: '8', RENDER_CHUNKS_FAILED: '2', RENDER_FRAMES: '1-40',
    RENDER_FILE: '/p/shot.blend', RENDER_OUTPUT: '//out/####', RENDER_NODE: 'n3', RENDER_LOG: '/s/jobs/j1/logs/job-events.log',
  });
});

const quietCli = { err: () => undefined } as unknown as Cli;

test('runJobHooks: job-done-* in order, in the submission folder, with the env; output and outcomes in job-events.log', async () => {
  await withTimeout(30_000, 'runJobHooks', () => withTempSpool(async (tmp) => {
    const hooks = tmp.path('hooks');
    await fs.mkdir(hooks);
    await writeScript(path.join(hooks, 'job-done-a'), '#!/bin/sh\necho "a in $(pwd) $RENDER_JOB $RENDER_STATUS $RENDER_CHUNKS_DONE/$RENDER_CHUNKS_TOTAL failed=$RENDER_CHUNKS_FAILED owner=$RENDER_OWNER"\n');
    await writeScript(path.join(hooks, 'job-done-b'), '#!/bin/sh\necho "b says no" >&2\nexit 3\n');
    await writeScript(path.join(hooks, 'job-done-c'), '#!/bin/sh\necho c\n', 0o644);
    await writeScript(path.join(hooks, 'job-failed-x'), '#!/bin/sh\necho WRONG\n');
    const id = await submitExec(tmp.spool, ['--frames', '1-4', '--chunk', '2', '--paused', '--hooks', hooks, '--name', 'jobhooks'], ['true'], { cwd: hooks });
    const ctx = await openFarmAt(quietCli, tmp.spool);
    for (const chunk of ['0001', '0002']) await fs.rename(ctx.layout.chunkFile(id, 'queued', chunk), ctx.layout.chunkFile(id, 'done', chunk));
    const job = (await readJob(ctx, id))!;
    const { status, results } = await runJobHooks({ ctx, job, node: 'n1', nice: 0 });
    assert.is(status, 'ok');
    assert.equal(results.map((r) => [r.name, r.ok]), [['job-done-a', true], ['job-done-b', false], ['job-done-c', false]]);
    assert.is(results[1].reason, 'exit code 3');
    assert.match(results[2].reason!, /not executable/);
    const log = await fs.readFile(jobEventsLog(ctx.layout, id), 'utf8');
    assert.match(log, `a in ${await fs.realpath(hooks)} ${id} ok 2/2 failed=0 owner=${job.owner}\n`);
    assert.match(log, /job-done-b: start\nb says no\n\[renderd\] \S+ job-done-b: exit code 3\n/);
    assert.match(log, /\[renderd\] \S+ node n1: job \S+ done \(2\/2 chunks done, 0 failed\)\n/);
    assert.not.match(log, 'WRONG');
  }));
});

test('runJobHooks: a job with a failed chunk runs job-failed-* only; no hooks, no log file', async () => {
  await withTimeout(30_000, 'runJobHooks failed', () => withTempSpool(async (tmp) => {
    const hooks = tmp.path('hooks');
    await fs.mkdir(hooks);
    await writeScript(path.join(hooks, 'job-done-a'), '#!/bin/sh\necho WRONG\n');
    await writeScript(path.join(hooks, 'job-failed-a'), '#!/bin/sh\necho "failed $RENDER_CHUNKS_FAILED of $RENDER_CHUNKS_TOTAL"; ls "$RENDER_JOB_DIR/failed"\n');
    const id = await submitExec(tmp.spool, ['--frames', '1-4', '--chunk', '2', '--paused', '--hooks', hooks], ['true']);
    const ctx = await openFarmAt(quietCli, tmp.spool);
    await fs.rename(ctx.layout.chunkFile(id, 'queued', '0001'), ctx.layout.chunkFile(id, 'done', '0001'));
    await fs.rename(ctx.layout.chunkFile(id, 'queued', '0002'), ctx.layout.chunkFile(id, 'failed', '0002'));
    const { status, results } = await runJobHooks({ ctx, job: (await readJob(ctx, id))!, node: 'n1', nice: 0 });
    assert.is(status, 'failed');
    assert.equal(results.map((r) => r.name), ['job-failed-a']);
    const log = await fs.readFile(jobEventsLog(ctx.layout, id), 'utf8');
    assert.match(log, 'failed 1 of 2\n0002.json\n');
    assert.not.match(log, 'WRONG');

    const plain = await submitExec(tmp.spool, ['--frames', '1', '--paused'], ['true']);
    const none = await runJobHooks({ ctx, job: (await readJob(ctx, plain))!, node: 'n1', nice: 0 });
    assert.equal(none.results, []);
    await fs.access(jobEventsLog(ctx.layout, plain)).then(() => assert.unreachable('a log without hooks'), () => undefined);
  }));
});

test.run();
