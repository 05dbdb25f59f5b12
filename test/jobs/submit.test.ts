// Durable submission: every chunk file and folder of a job is flushed before the job is renamed in;
// a wake-up that fails once the job is queued is a warning (exit 0, the id printed), not an error.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { RENDER_BIN, runRender, withTempSpool } from '../support/index.js';
import { wakeAfterQueueing } from '../../src/notify/index.js';
import type { FarmContext } from '../../src/claim/context.js';

const run = promisify(execFile);

test('render exec: each chunk file and every folder of the job is fsynced before the rename that queues it (strace)', async () => {
  await withTempSpool(async (tmp) => {
    await runRender(['--spool', tmp.spool, 'list']); // the spool exists: only the submission is traced
    const trace = tmp.path('trace');
    await run('strace', ['-f', '-y', '-qq', '-e', 'trace=fsync,rename', '-o', trace, process.execPath, RENDER_BIN, '--spool', tmp.spool, 'exec', '--frames', '1-5', '--chunk', '1', '--', 'true'], { timeout: 60_000 });
    const lines = (await fs.readFile(trace, 'utf8')).split('\n');
    const renamed = lines.findIndex((l) => /rename\("[^"]*\/tmp\/job-[^"]*", "[^"]*\/jobs\/[^"]*"/.test(l));
    assert.ok(renamed > 0, 'the staging folder is renamed into jobs/');
    const before = lines.slice(0, renamed).join('\n');
    for (const chunk of ['0001', '0002', '0003', '0004', '0005']) assert.match(before, new RegExp(`fsync\\(\\d+<[^>]*/queued/${chunk}\\.json>`), chunk);
    for (const dir of ['queued', 'running', 'done', 'failed', 'logs', 'hooks']) assert.match(before, new RegExp(`fsync\\(\\d+<[^>]*/tmp/job-[^/>]*/${dir}>`), dir);
    assert.match(before, /fsync\(\d+<[^>]*\/tmp\/job-[^/>]*>/, 'the staging folder itself');
    assert.match(lines.slice(renamed).join('\n'), /fsync\(\d+<[^>]*\/jobs>/, 'jobs/ after the rename');
  });
});

test('a wake-up that fails after the job is queued is a warning, never an error (add, exec and submit use this)', async () => {
  const failing = new Proxy({}, { get: () => { throw new Error('EIO: the spool went away'); } });
  const ctx = { layout: failing, log: () => undefined } as unknown as FarmContext;
  const warnings: string[] = [];
  await wakeAfterQueueing(ctx, (text) => warnings.push(text));
  assert.equal(warnings, ['warning: queued, but the nodes could not be woken (EIO: the spool went away): they start it at their next poll']);
});

test.run();
