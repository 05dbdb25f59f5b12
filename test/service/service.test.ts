// `render service`: the unit it prints passes systemd-analyze verify, templates/renderd.service is the
// same generator's reference, --root installs and enables into a folder, and without a running
// systemd install says so in one line.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT, RENDERD_BIN, runRender } from '../support/index.js';
import { REFERENCE_UNIT, renderUnit, unitWord } from '../../src/service/unit.js';
import { gate } from '../support/requires.js';

function tempDir(): string {
  return fs.mkdtempSync(path.join(os.tmpdir(), 'renderd-service-'));
}

function verify(unitText: string): { status: number | null; output: string } {
  const dir = tempDir();
  try {
    fs.writeFileSync(path.join(dir, 'renderd.service'), unitText);
    const result = spawnSync('systemd-analyze', ['verify', path.join(dir, 'renderd.service')], { encoding: 'utf8', timeout: 60_000 });
    return { status: result.status, output: `${result.stdout}${result.stderr}`.trim() };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

test('install --print: a unit systemd-analyze verify accepts, with the user, spool mount, flags and restart policy', async () => {
  const spool = tempDir();
  try {
    const printed = await runRender(['service', 'install', '--print', '--spool', spool, '--user', 'render', '--slots', '2', '--pool', 'gpu']);
    assert.is(printed.code, 0, printed.stderr);
    const unit = printed.stdout;
    assert.match(unit, '\nUser=render\n');
    assert.match(unit, `\nRequiresMountsFor=${spool}\n`);
    assert.match(unit, '\nAfter=network-online.target remote-fs.target\n');
    assert.match(unit, '\nRestart=on-failure\n');
    assert.match(unit, '\nStandardOutput=journal\n');
    assert.match(unit, `\nExecStart=${process.execPath} ${RENDERD_BIN} --spool ${spool} --slots 2 --pool gpu\n`);
    assert.equal(verify(unit), { status: 0, output: '' });
  } finally {
    fs.rmSync(spool, { recursive: true, force: true });
  }
});

test('a spool path with a space and a percent sign is quoted so systemd reads it back whole', async () => {
  const parent = tempDir();
  const spool = path.join(parent, 'render spool 100%');
  fs.mkdirSync(spool);
  try {
    const printed = await runRender(['service', 'install', '--print', '--spool', spool]);
    assert.is(printed.code, 0, printed.stderr);
    assert.match(printed.stdout, `RequiresMountsFor="${spool.replace('%', '%%')}"`);
    assert.equal(verify(printed.stdout), { status: 0, output: '' });
  } finally {
    fs.rmSync(parent, { recursive: true, force: true });
  }
  assert.is(unitWord('a"b\\c$d'), '"a\\"b\\\\c$$d"');
  assert.throws(() => unitWord('a\nb'), /line break/);
});

test('templates/renderd.service is the reference unit, from the same generator', () => {
  assert.fixture(fs.readFileSync(path.join(REPO_ROOT, 'templates', 'renderd.service'), 'utf8'), renderUnit(REFERENCE_UNIT));
  assert.equal(verify(renderUnit(REFERENCE_UNIT)).output, '');
});

test('renderd flags are checked at install: an unknown flag or a bad value is one usage line', async () => {
  const typo = await runRender(['service', 'install', '--print', '--spool', '/srv/s', '--slot', '2']);
  assert.is(typo.code, 2);
  assert.is(typo.stderr, "render: not a renderd flag list: unknown option '--slot' (Did you mean --slots?)\n");
  const bad = await runRender(['service', 'install', '--print', '--spool', '/srv/s', '--slots', '0']);
  assert.is(bad.code, 2);
  assert.match(bad.stderr, /^render: --slots must be a whole number from 1 to 256, got '0'\n$/);
  const user = await runRender(['service', 'install', '--print', '--user', 'a b']);
  assert.is(user.code, 2);
});

test('--root: install writes and enables the unit there, status reports it, uninstall removes it', async () => {
  const root = tempDir();
  try {
    const installed = await runRender(['service', 'install', '--root', root, '--spool', '/srv/render/spool', '--slots', '3']);
    assert.is(installed.code, 0, installed.stderr);
    const file = path.join(root, 'etc/systemd/system/renderd.service');
    assert.match(fs.readFileSync(file, 'utf8'), '--spool /srv/render/spool --slots 3\n');
    assert.ok(fs.lstatSync(path.join(root, 'etc/systemd/system/multi-user.target.wants/renderd.service')).isSymbolicLink(), 'enabled');
    const status = await runRender(['service', 'status', '--root', root]);
    assert.is(status.code, 0);
    assert.is(status.stdout, `${file}: installed, enabled\n`);
    const removed = await runRender(['service', 'uninstall', '--root', root]);
    assert.is(removed.code, 0, removed.stderr);
    assert.not.ok(fs.existsSync(file));
    assert.throws(() => fs.lstatSync(path.join(root, 'etc/systemd/system/multi-user.target.wants/renderd.service')), 'disabled');
    const after = await runRender(['service', 'status', '--root', root]);
    assert.is(after.code, 3);
    assert.is(after.stdout, `${file}: not installed, not enabled\n`);
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }
});

gate(test, 'no running systemd', fs.existsSync('/run/systemd/system') ? 'this machine runs systemd' : null, { failInCi: false })('without a running systemd, install, status and uninstall say so in one line and change nothing', async () => {
  for (const action of ['install', 'status', 'uninstall']) {
    const result = await runRender(['service', action, '--spool', '/srv/render/spool']);
    assert.is(result.code, 1, action);
    assert.match(result.stderr, /^render: cannot \w+ the service: systemd is not running on this machine .*--print.*\n$/);
  }
  assert.not.ok(fs.existsSync('/etc/systemd/system/renderd.service'));
});

test.run();
