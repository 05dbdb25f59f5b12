// The job hook templates render init copies out: mail the owner (with a stand-in sendmail), POST a
// webhook (with a stand-in curl), and do nothing, quietly, without sendmail, curl or a URL.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { REPO_ROOT, withTempSpool } from '../support/index.js';
import { gate } from '../support/requires.js';

const TEMPLATES = path.join(REPO_ROOT, 'templates', 'hooks');
const JOB_HOOKS = ['job-done-mail', 'job-done-preview', 'job-done-webhook', 'job-failed-mail'];

const ENV = {
  RENDER_SPOOL: '/s', RENDER_JOB: 'j7', RENDER_JOB_NAME: 'shot "10"\nBcc: everyone', RENDER_OWNER: 'ana', RENDER_NODE: 'n2',
  RENDER_FRAMES: '1-40', RENDER_CHUNKS_TOTAL: '10', RENDER_CHUNKS_DONE: '10', RENDER_CHUNKS_FAILED: '0', RENDER_STATUS: 'ok',
};

function run(name: string, env: Record<string, string>, cwd: string) {
  const result = spawnSync(path.join(TEMPLATES, name), [], { env: { PATH: '/usr/bin:/bin', ...env }, cwd, encoding: 'utf8', timeout: 10_000 });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** A folder with a stand-in `cmd` that records its arguments and standard input to `file`. */
function standIn(dir: string, cmd: string, file: string, exit = 0): string {
  const bin = path.join(dir, `bin-${cmd}`);
  fs.mkdirSync(bin, { recursive: true });
  fs.writeFileSync(path.join(bin, cmd), `#!/bin/sh\n{ echo "ARGS: $*"; cat; } > "${file}"\nexit ${exit}\n`, { mode: 0o755 });
  return bin;
}

test('each job hook template is executable POSIX sh with a header, and listed in the README', () => {
  const readme = fs.readFileSync(path.join(TEMPLATES, 'README.md'), 'utf8');
  for (const name of JOB_HOOKS) {
    const file = path.join(TEMPLATES, name);
    assert.ok(fs.statSync(file).mode & 0o111, `${name} is executable`);
    assert.match(fs.readFileSync(file, 'utf8'), new RegExp(`^#!/bin/sh\n# ${name}: `));
    assert.ok(readme.includes(`\`${name}\``), `README names ${name}`);
    assert.is(spawnSync('sh', ['-n', file]).status, 0, `${name} parses`);
  }
});

test('job-done-mail mails the owner; a job name cannot add headers', async () => {
  await withTempSpool(async (tmp) => {
    const sent = tmp.path('sent');
    const bin = standIn(tmp.dir, 'sendmail', sent);
    const result = run('job-done-mail', { ...ENV, PATH: `${bin}:/usr/bin:/bin` }, tmp.dir);
    assert.equal(result, { status: 0, stdout: '', stderr: '' });
    const mail = fs.readFileSync(sent, 'utf8');
    assert.match(mail, /^ARGS: -t -oi\nTo: ana\nSubject: \[renderd\] shot "10" Bcc: everyone \(j7\) done: 10 chunk\(s\), frames 1-40\n/);
    assert.not.match(mail, /^Bcc:/m);
    assert.match(mail, 'render show j7');
  });
});

test('job-failed-mail names the failed chunks from the job folder', async () => {
  await withTempSpool(async (tmp) => {
    fs.mkdirSync(tmp.path('failed'));
    fs.writeFileSync(tmp.path('failed', '0003.json'), '{}');
    fs.writeFileSync(tmp.path('failed', '0007.json'), '{}');
    const sent = tmp.path('sent');
    const bin = standIn(tmp.dir, 'sendmail', sent);
    const result = run('job-failed-mail', { ...ENV, RENDER_JOB_DIR: tmp.dir, RENDER_STATUS: 'failed', RENDER_CHUNKS_DONE: '8', RENDER_CHUNKS_FAILED: '2', PATH: `${bin}:/usr/bin:/bin` }, '/');
    assert.is(result.status, 0);
    const mail = fs.readFileSync(sent, 'utf8');
    assert.match(mail, 'FAILED: 2 of 10 chunk(s) failed\n');
    assert.match(mail, '  0003\n  0007\n');
    assert.match(mail, 'render retry j7');
  });
});

gate(test, 'no sendmail', fs.existsSync('/usr/sbin/sendmail') || fs.existsSync('/usr/lib/sendmail') ? 'this machine has one' : null, { failInCi: false })('the mail hooks without sendmail do nothing, quietly, and exit 0', async () => {
  await withTempSpool(async (tmp) => {
    for (const name of ['job-done-mail', 'job-failed-mail']) assert.equal(run(name, ENV, tmp.dir), { status: 0, stdout: '', stderr: '' }, name);
  });
});

test('job-done-webhook POSTs valid JSON to $RENDER_WEBHOOK_URL', async () => {
  await withTempSpool(async (tmp) => {
    const sent = tmp.path('sent');
    const bin = standIn(tmp.dir, 'curl', sent);
    const result = run('job-done-webhook', { ...ENV, RENDER_JOB_NAME: 'a "quoted"\\ name\tx', RENDER_WEBHOOK_URL: 'https://hooks.example/abc', PATH: `${bin}:/usr/bin:/bin` }, tmp.dir);
    assert.equal(result, { status: 0, stdout: 'job-done-webhook: posted job-done for j7\n', stderr: '' });
    const [args, body] = fs.readFileSync(sent, 'utf8').split('\n');
    assert.match(args, /-H Content-Type: application\/json --data-binary @- -o \/dev\/null https:\/\/hooks\.example\/abc$/);
    assert.equal(JSON.parse(body), { event: 'job-done', status: 'ok', job: 'j7', name: 'a "quoted"\\ name x', owner: 'ana', node: 'n2', frames: '1-40', chunks: { total: 10, done: 10, failed: 0 } });
  });
});

test('job-done-webhook: nothing without a URL or without curl; a failed POST exits 1 with a message', async () => {
  await withTempSpool(async (tmp) => {
    const sent = tmp.path('sent');
    const bin = standIn(tmp.dir, 'curl', sent, 22);
    assert.equal(run('job-done-webhook', { ...ENV, PATH: `${bin}:/usr/bin:/bin` }, tmp.dir), { status: 0, stdout: '', stderr: '' });
    assert.not.ok(fs.existsSync(sent));
    const failed = run('job-done-webhook', { ...ENV, RENDER_WEBHOOK_URL: 'http://x', PATH: `${bin}:/usr/bin:/bin` }, tmp.dir);
    assert.is(failed.status, 1);
    assert.match(failed.stderr, 'job-done-webhook: POST to the webhook failed');
    const noCurl = run('job-done-webhook', { ...ENV, RENDER_WEBHOOK_URL: 'http://x', PATH: tmp.path('nothing') }, tmp.dir);
    assert.is(noCurl.status, 0);
  });
});


test('job-done-preview without ffmpeg: a clear line and exit 0', async () => {
  await withTempSpool(async (tmp) => {
    const jobDir = tmp.path('job');
    const empty = tmp.path('empty-bin');
    fs.mkdirSync(empty);
    const without = run('job-done-preview', { ...ENV, RENDER_JOB_DIR: jobDir, PATH: empty }, tmp.dir);
    assert.is(without.status, 0);
    assert.match(without.stdout, /job-done-preview: ffmpeg is not installed on node n2: no preview movie \(apt-get install ffmpeg\)/);
  });
});

const noFfmpeg = spawnSync('ffmpeg', ['-version'], { stdio: 'ignore' }).status === 0 ? null : 'ffmpeg is not installed (apt-get install ffmpeg; .ci/run does)';
gate(test, 'ffmpeg', noFfmpeg)('job-done-preview with ffmpeg: an MP4 of the previews in frame order', async () => {
  await withTempSpool(async (tmp) => {
    const jobDir = tmp.path('job');
    const none = run('job-done-preview', { ...ENV, RENDER_JOB_DIR: jobDir }, tmp.dir);
    assert.equal([none.status, none.stdout.trim()], [0, `job-done-preview: no previews in ${jobDir}/previews: no preview movie`]);
    fs.mkdirSync(path.join(jobDir, 'previews'), { recursive: true });
    const sharp = (await import('sharp')).default;
    const colours = [[230, 40, 40], [40, 200, 60], [40, 60, 230]];
    for (const [i, frame] of [9, 10, 11].entries()) {
      const [r, g, b] = colours[i];
      await sharp({ create: { width: 320, height: 180, channels: 3, background: { r, g, b } } }).png().toFile(path.join(jobDir, 'previews', `${String(frame).padStart(4, '0')}.png`));
    }
    const made = run('job-done-preview', { ...ENV, RENDER_JOB_DIR: jobDir, RENDER_PREVIEW_FPS: '12' }, tmp.dir);
    assert.is(made.status, 0, made.stdout + made.stderr);
    assert.match(made.stdout, /wrote .*preview\.mp4 \(3 frames at 12 fps\)/);
    const probe = spawnSync('ffprobe', ['-v', 'error', '-count_frames', '-select_streams', 'v:0', '-show_entries', 'stream=codec_name,width,height,nb_read_frames', '-of', 'json', path.join(jobDir, 'preview.mp4')], { encoding: 'utf8' });
    const stream = (JSON.parse(probe.stdout) as { streams: Record<string, unknown>[] }).streams[0];
    assert.equal([stream.codec_name, stream.width, stream.height, Number(stream.nb_read_frames)], ['h264', 320, 180, 3]);
    // the middle frame is the green one: frame order kept
    const middle = spawnSync('ffmpeg', ['-v', 'error', '-i', path.join(jobDir, 'preview.mp4'), '-vf', 'select=eq(n\\,1)', '-frames:v', '1', '-f', 'rawvideo', '-pix_fmt', 'rgb24', '-'], { maxBuffer: 1 << 24 });
    const px = middle.stdout.subarray((90 * 320 + 160) * 3, (90 * 320 + 160) * 3 + 3);
    assert.ok(px[1] > 150 && px[0] < 100 && px[2] < 110, `the second frame is green: ${[...px]}`);
  });
});

test.run();
