// A job's working folder is looked up at most once per freshness period, and looked up again when older.
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WorkingDirs } from '../../../src/daemon/chunk/working-dirs.js';

test('a lookup is shared while fresh, made again once older, and a start sees how old it is', async () => {
  const tmp = fs.mkdtempSync(path.join(os.tmpdir(), 'renderd-workdirs-'));
  try {
    const submitted = path.join(tmp, 'shot');
    const jobDir = path.join(tmp, 'spool-job');
    fs.mkdirSync(submitted);
    let now = 1000;
    const dirs = new WorkingDirs(() => now, 1000);
    const first = await dirs.get('job1', submitted, jobDir);
    assert.equal(first, { dir: { cwd: submitted }, atMs: 1000 });

    fs.rmdirSync(submitted);
    now = 1900;
    assert.is(await dirs.get('job1', submitted, jobDir), first, 'within the period: the same lookup');
    assert.not.ok(dirs.stale(first.atMs));
    now = 2001;
    assert.ok(dirs.stale(first.atMs), 'a start after the period looks again');
    const second = await dirs.get('job1', submitted, jobDir);
    assert.is(second.dir.cwd, jobDir, 'the folder is gone: hooks run in the job folder');
    assert.match(second.dir.fallback ?? '', /does not exist on this node/);
    assert.is(second.atMs, 2001);

    const other = await dirs.get('job2', undefined, jobDir);
    assert.is(other.dir.cwd, jobDir, 'each job has its own lookup');
  } finally {
    fs.rmSync(tmp, { recursive: true, force: true });
  }
});

test.run();
