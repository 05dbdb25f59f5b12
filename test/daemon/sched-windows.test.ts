// --schedule on a real node: outside its window it claims nothing, inside it claims (windows built from
// the current local time). And bad scheduling input: renderd and render exec exit 2 with one line.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, Ledger, renderJson, runRender, showJob, submitExec, withTempSpool, withTimeout } from '../support/index.js';
import { scheduleWindow, waitForJob } from '../scheduling-support.js';

const TEST_TIMEOUT_MS = 40_000;
/** Two node start-ups, a look and two chunks: on a loaded machine each start-up alone can take 15 s. */
const WINDOW_TEST_TIMEOUT_MS = 120_000;
const HOUR_MS = 3_600_000;

test('a node outside its --schedule window never claims; one inside its window does', async () => {
  await withTimeout(WINDOW_TEST_TIMEOUT_MS, 'schedule', () => withTempSpool(async (tmp) => {
    const now = Date.now();
    // from an hour ago to an hour ahead (overnight when that crosses midnight), and two to three hours ahead
    const inside = scheduleWindow(new Date(now - HOUR_MS), new Date(now + HOUR_MS));
    const outside = scheduleWindow(new Date(now + 2 * HOUR_MS), new Date(now + 3 * HOUR_MS));
    const ledger = await Ledger.create(tmp.dir);
    const job = await submitExec(tmp.spool, ['--frames', '1-2', '--chunk', '1'], ledger.command(), { cwd: tmp.dir });
    const fleet = new Fleet(tmp.spool);
    try {
      const out = fleet.start('out', { exitWhenIdle: true, extraArgs: ['--schedule', outside], env: { RENDERD_LOG_DECISIONS: '1' } });
      await out.waitForLine(/node out up/, 40_000);
      // its first round found the gate closed and rested, claiming nothing
      await out.waitForLine(/decision: rest: outside its schedule window, 0 running/, 10_000);
      assert.is(out.running, true, `out of its window the node waits (it has work it may do later): ${out.stderr.slice(-1000)}`);
      assert.is((await ledger.events()).length, 0, `nothing ran under "${outside}"`);
      assert.is((await showJob(tmp.spool, job)).state, 'queued');

      fleet.start('in', { extraArgs: ['--schedule', inside] });
      await waitForJob(tmp.spool, job, 'done', (s) => s.state === 'done', 60_000);
      const nodes = new Set((await ledger.attempts()).map((a) => a.node));
      assert.equal([...nodes], ['in'], `only the node inside "${inside}" ran chunks`);

      await out.kill('SIGTERM');
      assert.equal(await out.waitExit(10_000), { code: 0, signal: null });
    } finally {
      await fleet.stopAll();
    }
  }));
});

const BAD_SCHEDULES = ['someday 10:00-11:00', 'mon-fri 25:00-08:00', 'mon-fri', 'mon-fri 19:00-08:00 weekends'];

test('renderd with a bad --schedule: exit 2, one line naming --schedule', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'bad --schedule', () => withTempSpool(async (tmp) => {
    const fleet = new Fleet(tmp.spool);
    try {
      const nodes = BAD_SCHEDULES.map((schedule, i) => fleet.start(`bad${i}`, { extraArgs: ['--schedule', schedule] }));
      const problems: string[] = [];
      await Promise.all(nodes.map(async (node, i) => {
        const exit = await node.waitExit(20_000);
        const lines = node.stderr.trim().split('\n');
        if (exit.code !== 2 || node.stdout !== '' || lines.length !== 1 || !lines[0].startsWith(`renderd: --schedule '${BAD_SCHEDULES[i]}'`)) {
          problems.push(`${JSON.stringify(BAD_SCHEDULES[i])}: exit ${JSON.stringify(exit)}, stderr ${JSON.stringify(node.stderr)}`);
        }
      }));
      assert.equal(problems, []);
    } finally {
      await fleet.stopAll();
    }
  }));
});

test('renderd --idle-load without --idle-only: exit 2, one line', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'bad --idle-load', () => withTempSpool(async (tmp) => {
    const fleet = new Fleet(tmp.spool);
    try {
      const node = fleet.start('bad', { extraArgs: ['--idle-load', '2'] });
      assert.equal(await node.waitExit(15_000), { code: 2, signal: null }, node.stderr);
      assert.equal(node.stderr.trim().split('\n'), ['renderd: --idle-load goes with --idle-only']);
    } finally {
      await fleet.stopAll();
    }
  }));
});

// [flags, what the one line must name]
const BAD_EXEC: [string[], RegExp][] = [
  [['--license', 'nosuch'], /licence 'nosuch'/],
  [['--max-nodes', '0'], /--max-nodes/],
  [['--max-failed', '0'], /--max-failed/],
  [['--min-ram', 'lots'], /--min-ram/],
  [['--start-at', 'soonish'], /--start-at/],
  [['--retry-delay', '5x'], /--retry-delay/],
  [['--silence-timeout', '-1s'], /--silence-timeout/],
  [['--priority', 'high'], /--priority/],
  [['--pool', '../gpu'], /--pool/],
];

test('render exec with bad scheduling flags: exit 2, one line naming the flag, nothing queued', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'bad exec flags', () => withTempSpool(async (tmp) => {
    const set = await runRender(['--spool', tmp.spool, 'license', 'set', 'lic', '1']);
    assert.is(set.code, 0, set.stderr);
    const problems: string[] = [];
    await Promise.all(BAD_EXEC.map(async ([flags, pattern]) => {
      const result = await runRender(['--spool', tmp.spool, 'exec', ...flags, '--', 'true'], { cwd: tmp.dir });
      const lines = result.stderr.trim().split('\n');
      if (result.code !== 2 || lines.length !== 1 || !pattern.test(lines[0]) || result.stdout !== '') {
        problems.push(`${flags.join(' ')}: exit ${result.code}, stdout ${JSON.stringify(result.stdout)}, stderr ${JSON.stringify(result.stderr)}`);
      }
    }));
    assert.equal(problems, []);
    assert.equal(await renderJson(tmp.spool, ['list']), []);
  }));
});

test.run();
