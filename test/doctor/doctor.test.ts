// `render doctor` on real spools with real nodes: a healthy farm, a farm with a node 10 minutes ahead
// (libfaketime), a node whose advertised address refuses, a broken job and a job no node may take,
// and a spool with wrong permissions — each reported with its advice and the right exit code.
import fs from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, runRender, waitUntil, withTempSpool, withTimeout, writeScript, type TempSpool } from '../support/index.js';
import { check, doctor, DOCTOR_TIMEOUT_MS, type DoctorJson } from './run-doctor.js';
import { spawnSync } from 'node:child_process';
import { RENDER_BIN } from '../support/index.js';
import { gate } from '../support/requires.js';

function canUnshareMounts(): boolean {
  return spawnSync('unshare', ['-m', 'true'], { timeout: 5000 }).status === 0;
}

const TEST_TIMEOUT_MS = 150_000;

const LOCAL = ['--listen', '127.0.0.1:0', '--advertise', '127.0.0.1'];

async function upNodes(fleet: Fleet, names: string[]): Promise<void> {
  await waitUntil('the nodes to be up', () => fleet.nodes.filter((n) => names.includes(n.name)).every((n) => /node \S+ up/.test(n.stderr)), 30_000);
}

test('a healthy local farm: every check ok, exit 0', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'healthy doctor', () => withTempSpool(async (tmp) => {
    const fleet = new Fleet(tmp.spool);
    try {
      fleet.start('n1', { extraArgs: LOCAL });
      await upNodes(fleet, ['n1']);
      const { code, json } = await doctor(tmp.spool);
      const notOk = json.checks.filter((c) => c.status !== 'ok');
      assert.equal(notOk, [], 'nothing to report');
      assert.is(code, 0);
      assert.is(json.status, 'ok');
      for (const id of ['spool.filesystem', 'spool.atomic', 'spool.mtime', 'spool.space', 'spool.permissions', 'farm.key', 'machine.blender', 'machine.perl',
        'machine.socket-dir', 'node.n1.heartbeat', 'node.n1.clock', 'node.n1.address', 'node.n1.blender', 'spool.listing', 'farm.broken', 'farm.stuck', 'farm.runnable', 'spool.size']) check(json, id);
      assert.match(check(json, 'node.n1.blender').found, /^Blender \d/);
      assert.match(check(json, 'spool.listing').found, /n1 \d+\.\d s/);
    } finally {
      await fleet.stopAll();
    }
  }));
});

/** A job folder whose job.json does not parse: no node can run it. */
async function breakJob(tmp: TempSpool, id: string): Promise<void> {
  for (const dir of ['queued', 'running', 'done', 'failed', 'locks', 'logs']) await fs.mkdir(tmp.path('spool', 'jobs', id, dir), { recursive: true });
  await fs.writeFile(tmp.path('spool', 'jobs', id, 'job.json'), '{"v": 1, "id": "broken-job", "frames": ');
}

test('a node 10 minutes ahead, a node whose advertised address refuses, a broken job, a job no node may take: each with its advice, exit 1', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'doctor findings', () => withTempSpool(async (tmp) => {
    // Blender hangs under libfaketime: the skewed node is given a stand-in that answers --version
    const fakeBlender = await writeScript(tmp.path('bin', 'blender'), 'echo "Blender 3.4.1 (stand-in)"\n');
    const fleet = new Fleet(tmp.spool);
    try {
      fleet.start('ahead', { faketime: '+10m', extraArgs: LOCAL, env: { BLENDER: fakeBlender } });
      fleet.start('refuser', { extraArgs: ['--listen', '127.0.0.1:0', '--advertise', '127.0.0.3'], env: { BLENDER: fakeBlender } });
      await upNodes(fleet, ['ahead', 'refuser']);
      await breakJob(tmp, 'broken-job');
      const gpu = await runRender(['--spool', tmp.spool, 'exec', '--pool', 'gpu', '--name', 'needs-gpu', '--', 'true']);
      assert.is(gpu.code, 0, gpu.stderr);

      const { code, json } = await doctor(tmp.spool);
      assert.is(code, 1, JSON.stringify(json, null, 1));
      assert.is(json.status, 'warn');

      const clock = check(json, 'node.ahead.clock');
      assert.is(clock.status, 'warn');
      const skewS = Number(/^wall clock \+(\d+\.\d) s from ours/.exec(clock.found)?.[1]);
      assert.ok(skewS > 590 && skewS < 610, clock.found);
      assert.match(clock.advice, 'NTP');
      assert.is(check(json, 'node.refuser.clock').status, 'ok');

      const address = check(json, 'node.refuser.address');
      assert.is(address.status, 'warn');
      assert.match(address.found, /^127\.0\.0\.3:\d+ does not answer from here \(refused/);
      assert.match(address.advice, '--advertise');
      assert.is(check(json, 'node.refuser.heartbeat').status, 'ok', 'alive: it answers on its local socket and beats');
      assert.is(check(json, 'node.ahead.address').status, 'ok');

      const broken = check(json, 'farm.broken');
      assert.is(broken.status, 'warn');
      assert.match(broken.found, 'job broken-job:');
      assert.match(broken.advice, 'render remove broken-job');
      const runnable = check(json, 'farm.runnable');
      assert.is(runnable.status, 'warn');
      assert.match(runnable.advice, 'no live node may take it (job wants pool gpu)');
      assert.ok(await fs.stat(tmp.path('spool', 'jobs', 'broken-job', 'job.json')), 'the doctor moved nothing');
    } finally {
      await fleet.stopAll();
    }
  }));
});

test('a spool with wrong permissions and a world-readable farm.key: both fail with the chmod to run, exit 2', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'doctor permissions', () => withTempSpool(async (tmp) => {
    const made = await runRender(['--spool', tmp.spool, 'exec', '--', 'true']);
    assert.is(made.code, 0, made.stderr);
    await fs.chmod(tmp.path('spool', 'jobs'), 0o555);
    await fs.chmod(tmp.path('spool', 'farm.key'), 0o644);
    try {
      const { code, json } = await doctor(tmp.spool);
      assert.is(code, 2);
      assert.is(json.status, 'fail');
      const perms = check(json, 'spool.permissions');
      assert.is(perms.status, 'fail');
      assert.match(perms.found, `${tmp.spool}/jobs (mode 0555`);
      assert.match(perms.advice, 'chmod -R g+rwX');
      const key = check(json, 'farm.key');
      assert.is(key.status, 'fail');
      assert.match(key.found, 'mode 0644');
      assert.match(key.advice, 'chmod 600');
      assert.is(check(json, 'nodes').status, 'fail', 'and no node is registered');
    } finally {
      await fs.chmod(tmp.path('spool', 'jobs'), 0o755);
    }
  }));
});

gate(test, 'mount namespaces', canUnshareMounts() ? null : 'unshare -m failed (needs root)')('the user of an installed render service unit must reach the spool and read farm.key (unit in a private mount namespace)', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'doctor service user', () => withTempSpool(async (tmp) => {
    const made = await runRender(['--spool', tmp.spool, 'exec', '--', 'true']);
    assert.is(made.code, 0, made.stderr);
    // a tmpfs over /etc/systemd/system seen only by this command: the machine's own units stay untouched
    const script = `mount -t tmpfs none /etc/systemd/system && "$0" "$1" service install --print --spool "$2" --user nobody > /etc/systemd/system/renderd.service && "$0" "$1" --spool "$2" doctor --json`;
    const result = spawnSync('unshare', ['-m', 'sh', '-c', script, process.execPath, RENDER_BIN, tmp.spool], { encoding: 'utf8', timeout: DOCTOR_TIMEOUT_MS });
    const json = JSON.parse(result.stdout) as DoctorJson;
    const perms = check(json, 'service.spool-permissions');
    assert.is(perms.status, 'fail');
    assert.match(perms.found, `${tmp.spool}/jobs (mode 0755, uid 0) is not writable by nobody`);
    const key = check(json, 'service.farm-key');
    assert.is(key.status, 'fail');
    assert.match(key.found, 'nobody cannot read it');
    assert.match(key.advice, 'chmod 640');
  }));
});

test('no spool there: one failing check and exit 2; text output names each check', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'doctor no spool', () => withTempSpool(async (tmp) => {
    const result = await runRender(['--spool', tmp.path('nowhere'), 'doctor'], { timeoutMs: DOCTOR_TIMEOUT_MS });
    assert.is(result.code, 2);
    assert.match(result.stdout, `FAIL spool.exists: no spool at ${tmp.path('nowhere')}\n     -> pass --spool DIR`);
    assert.match(result.stdout, /\nthe farm cannot work\n$/);
  }));
});

test.run();
