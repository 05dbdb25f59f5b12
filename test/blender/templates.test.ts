// templates/hooks: what `render init` copies out. As shipped, each must be safe to run.
import { chmodSync, existsSync, mkdirSync, readdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { templateFiles } from '../../src/hooks/defaults.js';
import { HOOKS_DIR, makeTempDir, runHook, TEMPLATES_DIR } from './run-hook.js';
import { gate } from '../support/requires.js';

const test = suite('templates/hooks');
let temp: ReturnType<typeof makeTempDir>;
test.before(() => { temp = makeTempDir('templates'); });
test.after(() => temp.remove());

const SCRIPTS = ['end-cleanup', 'error-mail', 'job-done-mail', 'job-done-preview', 'job-done-webhook', 'job-failed-mail', 'post-check', 'pre-sync', 'render-blender'];

test('the scripts and a README, each script executable POSIX sh with a header', () => {
  const files = templateFiles();
  assert.equal(files.map((f) => f.name), ['README.md', ...SCRIPTS]);
  for (const { name, source } of files.filter((f) => f.name !== 'README.md')) {
    assert.ok(statSync(source).mode & 0o111, `${name} is executable`);
    assert.match(readFileSync(source, 'utf8'), new RegExp(`^#!/bin/sh\n# ${name}: `), `${name} starts with its header`);
  }
});

test('render-blender and post-check are the package defaults, kept once in hooks/blender', () => {
  for (const name of ['render-blender', 'post-check']) {
    assert.is(templateFiles().find((f) => f.name === name)?.source, join(HOOKS_DIR, name), name);
    assert.not.ok(existsSync(join(TEMPLATES_DIR, name)), `no copy of ${name} in templates/hooks`);
  }
});

test('pre-sync does nothing and exits 0 until configured', () => {
  const result = runHook(join(TEMPLATES_DIR, 'pre-sync'), { RENDER_JOB: 'j1', RENDER_CHUNK: 'c1' }, temp.dir);
  assert.equal(result, { status: 0, signal: null, stdout: '', stderr: '' });
});

test('end-cleanup removes the chunk\'s scratch folder only, and is a no-op without one', () => {
  const tmp = join(temp.dir, 'tmp');
  mkdirSync(join(tmp, 'renderd-j1-c1', 'deep'), { recursive: true });
  mkdirSync(join(tmp, 'renderd-j1-c2'));
  const vars = { TMPDIR: tmp, RENDER_JOB: 'j1', RENDER_CHUNK: 'c1', RENDER_STATUS: 'ok' };
  const first = runHook(join(TEMPLATES_DIR, 'end-cleanup'), vars, temp.dir);
  assert.is(first.status, 0);
  assert.is(first.stdout, `end-cleanup: removed ${tmp}/renderd-j1-c1\n`);
  assert.equal(readdirSync(tmp), ['renderd-j1-c2']);
  const again = runHook(join(TEMPLATES_DIR, 'end-cleanup'), vars, temp.dir);
  assert.equal(again, { status: 0, signal: null, stdout: '', stderr: '' });
  const noIds = runHook(join(TEMPLATES_DIR, 'end-cleanup'), { TMPDIR: tmp }, temp.dir);
  assert.is(noIds.status, 0);
  assert.equal(readdirSync(tmp), ['renderd-j1-c2']);
});

test('end-cleanup moves a crash report into the log after a failure', () => {
  const tmp = join(temp.dir, 'tmp-crash');
  mkdirSync(tmp);
  writeFileSync(join(tmp, 'shot.crash.txt'), '# Blender 3.4.1, Commit date: ...\nsegfault\n');
  const result = runHook(join(TEMPLATES_DIR, 'end-cleanup'), { TMPDIR: tmp, RENDER_STATUS: 'failed', RENDER_FILE: '/p/shot.blend' }, temp.dir);
  assert.is(result.status, 0);
  assert.match(result.stdout, 'segfault');
  assert.not.ok(existsSync(join(tmp, 'shot.crash.txt')));
});

const MAIL_VARS = {
  RENDER_OWNER: 'ana', RENDER_JOB: 'j7', RENDER_JOB_NAME: 'shot 10\nBcc: everyone', RENDER_CHUNK: 'c3',
  RENDER_FRAMES: '21-30', RENDER_NODE: 'node-b', RENDER_ATTEMPT: '2', RENDER_STATUS: 'failed',
};

test('error-mail sends the owner a mail naming job, chunk, frames, node and attempt, log tail attached', () => {
  const bin = join(temp.dir, 'bin');
  mkdirSync(bin);
  const sent = join(temp.dir, 'sent');
  writeFileSync(join(bin, 'sendmail'), `#!/bin/sh\n{ echo "ARGS: $*"; cat; } > "${sent}"\n`);
  chmodSync(join(bin, 'sendmail'), 0o755);
  const log = join(temp.dir, 'chunk.log');
  writeFileSync(log, Array.from({ length: 100 }, (_, i) => `line ${i + 1}`).join('\n') + '\n');
  const result = runHook(join(TEMPLATES_DIR, 'error-mail'),
    { ...MAIL_VARS, RENDER_LOG: log, RENDER_MAIL_LOG_LINES: '5', PATH: `${bin}:${process.env.PATH}` }, temp.dir);
  assert.equal(result, { status: 0, signal: null, stdout: '', stderr: '' });
  const mail = readFileSync(sent, 'utf8');
  assert.match(mail, /^ARGS: -t -oi\nTo: ana\n/);
  assert.match(mail, '\nSubject: [renderd] shot 10 Bcc: everyone (j7) chunk c3 failed: frames 21-30 on node-b, attempt 2\n');
  assert.not.match(mail, /^Bcc:/m, 'a job name cannot add headers');
  assert.match(mail, 'Content-Disposition: attachment; filename="j7-c3.log"\n\nline 96\nline 97\nline 98\nline 99\nline 100\n');
  assert.not.match(mail, 'line 95\n');
});

const hasSendmail = existsSync('/usr/sbin/sendmail') || existsSync('/usr/lib/sendmail');
gate(test, 'no sendmail', hasSendmail ? 'this machine has one' : null, { failInCi: false })('error-mail without sendmail does nothing, quietly, and exits 0', () => {
  const result = runHook(join(TEMPLATES_DIR, 'error-mail'), { ...MAIL_VARS, PATH: '/usr/bin:/bin' }, temp.dir);
  assert.equal(result, { status: 0, signal: null, stdout: '', stderr: '' });
});

test.run();
