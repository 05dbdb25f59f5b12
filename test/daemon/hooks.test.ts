// Hooks run by a real renderd: validation at submission, timeouts that kill the whole process group,
// retries with RENDER_ATTEMPT, and the stage order pre → render → post → error (on failure) → end.
import fs from 'node:fs/promises';
import fsSync from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import {
  Fleet, killMatching, processesMatching, runRender, showJob, submitExec, waitUntil, withTempSpool, withTimeout, writeScript, type TempSpool,
} from '../support/index.js';

const TEST_TIMEOUT_MS = 60_000;

/** Runs one node until nothing is left to run; fails on a non-zero exit. */
async function runUntilIdle(tmp: TempSpool, name = 'h1'): Promise<string> {
  const fleet = new Fleet(tmp.spool);
  try {
    const node = fleet.start(name, { exitWhenIdle: true });
    const exit = await node.waitExit(40_000);
    assert.equal(exit, { code: 0, signal: null }, node.stderr);
    return node.stderr;
  } finally {
    await fleet.stopAll();
  }
}

test('a hook that is not executable: render exec exits 2 with one line naming it, nothing queued', async () => {
  await withTempSpool(async (tmp) => {
    const hooks = tmp.path('hooks');
    await writeScript(path.join(hooks, 'pre-fine'), 'exit 0\n');
    await writeScript(path.join(hooks, 'end-notify'), 'exit 0\n', 0o644);
    const result = await runRender(['--spool', tmp.spool, 'exec', '--hooks', hooks, '--', 'true']);
    assert.is(result.code, 2);
    assert.is(result.stdout, '');
    assert.is(result.stderr, `render: hook ${path.join(hooks, 'end-notify')} is not executable (chmod +x it)\n`);
    assert.equal(await fs.readdir(path.join(tmp.spool, 'jobs')).catch(() => []), []);
  });
});

// No timing is asserted: under CPU load a `render show` takes seconds, and the hook's processes live for
// only its 1 s. The hook writes its pids at once; after the chunk failed, they must all be gone.
test('a hook past --timeout 1s: the chunk fails with a timeout reason and its whole process group is gone', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'timeout', () => withTempSpool(async (tmp) => {
    const marker = `hang-${process.pid}-${Date.now()}`;
    const bin = tmp.path(marker);
    const pids = tmp.path('pids');
    await fs.mkdir(bin, { recursive: true });
    await fs.symlink('/bin/sleep', path.join(bin, 'sleep'));
    // a child in the background and one in the foreground: both must die with the hook
    const hang = await writeScript(path.join(bin, 'hang'), `"${bin}/sleep" 60 &\necho "$$ $!" > "${pids}"\necho started\nexec "${bin}/sleep" 60\n`);
    const job = await submitExec(tmp.spool, ['--retries', '0', '--timeout', '1s'], [hang]);
    const fleet = new Fleet(tmp.spool);
    try {
      const node = fleet.start('t1');
      const shown = await waitUntil('the chunk to fail', async () => {
        const s = await showJob(tmp.spool, job);
        return s.state === 'failed' ? s : false;
      }, 45_000, 200);
      assert.is(shown.chunkList[0].state, 'failed');
      assert.match(shown.chunkList[0].error ?? '', /timed out after 1s/);
      const [shell, background] = (await fs.readFile(pids, 'utf8')).trim().split(' ').map(Number);
      for (const pid of [shell, background]) assert.not.ok(isAlive(pid), `pid ${pid} of the hook's group survived`);
      assert.equal(await processesMatching(marker), [], 'no process of the hook\'s group survives');
      await waitUntil('the node to log the attempt', () => /attempt 1: failed — .*timed out after 1s/.test(node.stderr), 15_000);
      const log = await fs.readFile(path.join(tmp.spool, 'jobs', job, 'logs', '0001.1.log'), 'utf8');
      assert.match(log, /timed out after 1s/);
    } finally {
      await fleet.stopAll();
      await killMatching(marker);
    }
  }));
});

/** Running, not a zombie: an orphaned child killed with its group waits for init to reap it. */
function isAlive(pid: number): boolean {
  try {
    const stat = fsSync.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

test('fails on attempt 1, succeeds on attempt 2 with --retries 1: done on attempt 2, the log has both', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'retry', () => withTempSpool(async (tmp) => {
    const flaky = await writeScript(tmp.path('bin', 'flaky'), [
      'if [ "$RENDER_ATTEMPT" = 1 ]; then echo "failing on attempt $RENDER_ATTEMPT"; exit 3; fi',
      'echo "fine on attempt $RENDER_ATTEMPT"',
      '',
    ].join('\n'));
    const job = await submitExec(tmp.spool, ['--retries', '1'], [flaky]);
    const log = await runUntilIdle(tmp);
    assert.match(log, /attempt 1: failed \(will retry\) — render-command: exit code 3/);
    assert.match(log, /attempt 2: done/);
    const shown = await showJob(tmp.spool, job);
    assert.is(shown.state, 'done');
    assert.is(shown.chunkList[0].state, 'done');
    assert.is(shown.chunkList[0].attempt, 2);
    assert.is(shown.chunkList[0].failures, 1);
    const logs = path.join(tmp.spool, 'jobs', job, 'logs');
    assert.equal((await fs.readdir(logs)).sort(), ['0001.1.log', '0001.2.log']);
    assert.match(await fs.readFile(path.join(logs, '0001.1.log'), 'utf8'), /failing on attempt 1[\s\S]*render-command: exit code 3/);
    assert.match(await fs.readFile(path.join(logs, '0001.2.log'), 'utf8'), /fine on attempt 2[\s\S]*chunk done/);
    const printed = await runRender(['--spool', tmp.spool, 'log', job]);
    assert.is(printed.code, 0);
    assert.match(printed.stdout, /==> chunk 0001, attempt 1 <==[\s\S]*failing on attempt 1[\s\S]*==> chunk 0001, attempt 2 <==[\s\S]*fine on attempt 2/);
  }));
});

test('stage order: pre → render → post → end when it works; error only on failure; RENDER_STATUS in error and end', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'stages', () => withTempSpool(async (tmp) => {
    const order = tmp.path('order.txt');
    const hooks = tmp.path('hooks');
    // each hook notes its name, its job's name and RENDER_STATUS (unset outside error-/end-)
    const note = (name: string, extra = '') => `echo "$RENDER_JOB_NAME ${name} \${RENDER_STATUS-unset}" >> "${order}"\n${extra}`;
    await writeScript(path.join(hooks, 'pre-1'), note('pre-1', '[ "$RENDER_JOB_NAME" = pre-fails ] && exit 1\nexit 0\n'));
    await writeScript(path.join(hooks, 'pre-2'), note('pre-2'));
    await writeScript(path.join(hooks, 'post-1'), note('post-1', '[ "$RENDER_JOB_NAME" = post-fails ] && exit 1\nexit 0\n'));
    await writeScript(path.join(hooks, 'post-2'), note('post-2'));
    await writeScript(path.join(hooks, 'error-1'), note('error-1'));
    await writeScript(path.join(hooks, 'end-1'), note('end-1'));
    await writeScript(path.join(hooks, 'end-2'), note('end-2'));
    await writeScript(path.join(hooks, 'README.md'), 'not a hook\n', 0o644);
    const render = await writeScript(tmp.path('bin', 'render-cmd'), note('render', '[ "$RENDER_JOB_NAME" = render-fails ] && exit 1\nexit 0\n'));
    const names = ['works', 'render-fails', 'post-fails', 'pre-fails'];
    const jobs: Record<string, string> = {};
    // submitted in order, run one at a time by one node with one slot
    for (const name of names) jobs[name] = await submitExec(tmp.spool, ['--hooks', hooks, '--retries', '0', '--name', name], [render]);
    await runUntilIdle(tmp);
    const lines = (await fs.readFile(order, 'utf8')).trim().split('\n');
    const of = (job: string) => lines.filter((l) => l.startsWith(`${job} `)).map((l) => l.slice(job.length + 1));
    assert.equal(of('works'), ['pre-1 unset', 'pre-2 unset', 'render unset', 'post-1 unset', 'post-2 unset', 'end-1 ok', 'end-2 ok']);
    assert.equal(of('render-fails'), ['pre-1 unset', 'pre-2 unset', 'render unset', 'error-1 failed', 'end-1 failed', 'end-2 failed']);
    assert.equal(of('post-fails'), ['pre-1 unset', 'pre-2 unset', 'render unset', 'post-1 unset', 'error-1 failed', 'end-1 failed', 'end-2 failed']);
    assert.equal(of('pre-fails'), ['pre-1 unset', 'error-1 failed', 'end-1 failed', 'end-2 failed']);
    assert.is((await showJob(tmp.spool, jobs.works)).state, 'done');
    for (const name of ['render-fails', 'post-fails', 'pre-fails']) {
      const shown = await showJob(tmp.spool, jobs[name]);
      assert.is(shown.state, 'failed', name);
      assert.match(shown.chunkList[0].error ?? '', new RegExp(`^${name === 'render-fails' ? 'render-command' : name.replace('-fails', '-1')}: exit code 1$`));
    }
  }));
});

test('a slot is a render: the next chunk renders while the last one\'s post-* hooks run; both end done', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'post overlap', () => withTempSpool(async (tmp) => {
    const ledger = tmp.path('ledger.txt');
    const hooks = tmp.path('hooks');
    const stamp = (what: string) => `echo "${what} $RENDER_CHUNK $(date +%s%N)" >> "${ledger}"`;
    await writeScript(path.join(hooks, 'post-slow'), `sleep 2\n${stamp('post-end')}\n`);
    const render = await writeScript(tmp.path('bin', 'render-cmd'), `${stamp('render-start')}\n`);
    const job = await submitExec(tmp.spool, ['--hooks', hooks, '--frames', '1-2', '--chunk', '1'], [render]);
    await runUntilIdle(tmp);
    const at = new Map((await fs.readFile(ledger, 'utf8')).trim().split('\n').map((l) => {
      const [what, chunk, ns] = l.split(' ');
      return [`${what} ${chunk}`, BigInt(ns)] as const;
    }));
    const [first, second] = at.get('render-start 0001')! < at.get('render-start 0002')! ? ['0001', '0002'] : ['0002', '0001'];
    assert.ok(at.get(`render-start ${second}`)! < at.get(`post-end ${first}`)!, 'the second chunk rendered before the first one\'s post hook ended');
    const shown = await showJob(tmp.spool, job);
    assert.equal(shown.chunkList.map((c) => c.state), ['done', 'done']);
  }));
});

test('hooks get the contract environment and run in the folder the job was submitted from', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'env', () => withTempSpool(async (tmp) => {
    const dump = await writeScript(tmp.path('bin', 'dump'), `{ pwd; env | grep '^RENDER_' | sort; } > "${tmp.path('env')}.$RENDER_CHUNK"\n`);
    const project = tmp.path('project');
    await fs.mkdir(project);
    const job = await submitExec(tmp.spool, ['--frames', '1-10x3,20', '--chunk', '3', '--name', 'envjob'], [dump], { cwd: project });
    await runUntilIdle(tmp, 'envnode');
    const [cwd, ...vars] = (await fs.readFile(`${tmp.path('env')}.0001`, 'utf8')).trim().split('\n');
    assert.is(await fs.realpath(cwd), await fs.realpath(project));
    const env = Object.fromEntries(vars.map((l) => [l.slice(0, l.indexOf('=')), l.slice(l.indexOf('=') + 1)]));
    assert.is(env.RENDER_SPOOL, tmp.spool);
    assert.is(env.RENDER_JOB, job);
    assert.is(env.RENDER_JOB_NAME, 'envjob');
    assert.is(env.RENDER_CHUNK, '0001');
    assert.is(env.RENDER_FRAMES, '1-7x3');
    assert.equal([env.RENDER_START, env.RENDER_END, env.RENDER_STEP], ['1', '7', '3']);
    assert.is(env.RENDER_NODE, 'envnode');
    assert.is(env.RENDER_ATTEMPT, '1');
    assert.ok(!('RENDER_STATUS' in env), 'no status in the render stage');
    const second = (await fs.readFile(`${tmp.path('env')}.0002`, 'utf8')).split('\n');
    assert.ok(second.includes('RENDER_FRAMES=10,20'), second.join('\n'));
    assert.ok(second.includes('RENDER_STEP=10'), 'two frames 10 apart are an even run of step 10');
  }));
});

test.run();
