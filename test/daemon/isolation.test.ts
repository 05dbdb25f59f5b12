// One bad job never stops the farm: nodes of an ordinary user meet a job folder they cannot read, a
// job.json that is a directory, a stray file in queued/ and a chunk log linked out of the spool. The
// good job finishes, no node dies, nothing outside the spool is written, --exit-when-idle exits 0.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, renderJson, runRender, submitExec, withTempSpool, withTimeout, writeScript } from '../support/index.js';
import { gate, missingRoot } from '../support/requires.js';

const test = gate(uvuTest, 'root', missingRoot('to run nodes as nobody'));

const NOBODY = { uid: 65534, gid: 65534 };

interface ListedJob { id: string; name: string; state: string; reason?: string; chunks: { done: number; total: number } }

test('nodes of an ordinary user: an unreadable job, a job.json directory, a stray file and a linked log do not stop them', async () => {
  await withTimeout(90_000, 'isolation', () => withTempSpool(async (tmp) => {
    await fs.chown(tmp.dir, NOBODY.uid, NOBODY.gid);
    const as = { user: NOBODY };
    const ledger = tmp.path('ledger');
    const outside = tmp.path('outside.txt');
    await fs.writeFile(outside, 'untouched\n');
    await fs.chmod(outside, 0o666); // writable by the nodes' user: only the node's refusal keeps it intact
    const write = await writeScript(tmp.path('bin', 'write'), `echo "chunk $RENDER_CHUNK" && echo "$RENDER_CHUNK" >> "${ledger}"\n`);
    await fs.writeFile(ledger, '');
    await fs.chmod(ledger, 0o666);
    // the good job and one whose job.json is a directory, submitted by the nodes' user
    const good = await submitExec(tmp.spool, ['--frames', '1-4', '--chunk', '1', '--name', 'good', '--retries', '0'], [write], as);
    const dirJson = await submitExec(tmp.spool, ['--frames', '1', '--name', 'dirjson'], ['true'], as);
    await fs.rm(path.join(tmp.spool, 'jobs', dirJson, 'job.json'));
    await fs.mkdir(path.join(tmp.spool, 'jobs', dirJson, 'job.json'));
    // another user's job, its folder closed to others (umask 077)
    const secret = await submitExec(tmp.spool, ['--frames', '1', '--name', 'secret'], ['true']);
    await fs.chmod(path.join(tmp.spool, 'jobs', secret), 0o700);
    // a stray file among the good job's chunks, and its chunk 0002's log linked out of the spool
    await fs.writeFile(path.join(tmp.spool, 'jobs', good, 'queued', 'notes.txt'), 'not a chunk\n');
    await fs.symlink(outside, path.join(tmp.spool, 'jobs', good, 'logs', '0002.1.log'));

    const fleet = new Fleet(tmp.spool);
    try {
      const nodes = ['u1', 'u2'].map((name) => fleet.start(name, { exitWhenIdle: true, user: NOBODY }));
      for (const node of nodes) assert.equal(await node.waitExit(60_000), { code: 0, signal: null }, fleet.logs());
      const logs = fleet.logs();
      assert.not.match(logs, /fatal/);
      assert.match(logs, new RegExp(`job ${secret} is broken here, skipped \\(retried with backoff\\): permission denied`));
      assert.is(logs.split(`job ${secret} is broken here`).length - 1 <= 2, true, 'named once per node');
      assert.match(logs, /chunk log .*0002\.1\.log.*symbolic link/);
    } finally {
      await fleet.stopAll();
    }
    assert.is(await fs.readFile(outside, 'utf8'), 'untouched\n', 'nothing outside the spool is written');
    assert.equal((await fs.readFile(ledger, 'utf8')).trim().split('\n').sort(), ['0001', '0002', '0003', '0004']);

    // seen by root: the unreadable job is broken with the nodes' reason, the directory job.json too
    const listed = await renderJson<ListedJob[]>(tmp.spool, ['list']);
    const byId = new Map(listed.map((j) => [j.id, j]));
    assert.is(byId.get(good)?.state, 'done');
    assert.is(byId.get(secret)?.state, 'broken');
    assert.match(byId.get(secret)?.reason ?? '', /node u[12]: permission denied/);
    assert.is(byId.get(dirJson)?.state, 'broken');
    assert.match(byId.get(dirJson)?.reason ?? '', /job\.json is missing/);
    // seen by the nodes' user: render show says broken, in words and in JSON
    const shown = await runRender(['--spool', tmp.spool, 'show', secret, '--json'], as);
    assert.is(shown.code, 0, shown.stderr);
    const json = JSON.parse(shown.stdout) as ListedJob;
    assert.is(json.state, 'broken');
    assert.match(json.reason ?? '', /permission denied/);
    const text = await runRender(['--spool', tmp.spool, 'list'], as);
    assert.match(text.stdout, new RegExp(`${secret} broken: permission denied`));
    // the spool's own files are still removable by the test (nobody's files in a root-owned scratch)
    await fs.chmod(path.join(tmp.spool, 'jobs', secret), 0o755);
  }));
});

test.run();
