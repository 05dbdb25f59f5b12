// Stopping running chunks on other hosts (issue 4): `render pause` and `render remove`, run in the tool
// namespace, reach the nodes running the job over TCP (stop-chunk), and the hooks' process groups are
// gone well before a node's own once-a-second job check would have noticed. `render node pause|resume`
// reaches a node the same way (node-control).
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTempSpool, waitUntil, withTimeout, type ShowJson, type TempSpool } from '../support/index.js';
import { liveMatching, NetLab, netnsAvailable, Stamps, waitGroupsGone, type HostNode } from './net-support.js';
import { gate } from '../support/requires.js';

const test = gate(uvuTest, 'network namespaces', netnsAvailable() ? null : 'ip netns add failed (needs root and CAP_SYS_ADMIN)');

const TEST_TIMEOUT_MS = 45_000;
/** From the command returning; the nodes' own watch of active/ (a poll, daemon/job-watch.ts) is the fallback this beats. */
const STOP_LIMIT_MS = 1500;
const LONG_SECONDS = 60;
/** A resumed node polls every 10 s: only the node-control message makes it claim this soon. */
const WAKE_LIMIT_MS = 2000;

let tmp: TempSpool;
let lab: NetLab;
let nodes: HostNode[] = [];

test.before(async () => {
  tmp = await makeTempSpool('renderd-net-stop-');
  lab = await NetLab.create(tmp.dir, ['hostb', 'hostc']);
  await lab.renderJson(tmp.spool, ['list']);
  nodes = ['hostb', 'hostc'].map((host) => lab.startNode(host, tmp.spool, { slots: 1 }));
  await Promise.all(nodes.map((node) => node.waitUp(tmp.spool)));
});

test.after(async () => {
  await lab?.destroy();
  await tmp?.cleanup();
});

async function submitLong(stamps: Stamps, chunks: number): Promise<string> {
  const result = await lab.render(['--spool', tmp.spool, 'exec', '--frames', `1-${chunks}`, '--chunk', '1', '--json', '--', ...stamps.command(LONG_SECONDS)]);
  assert.is(result.code, 0, result.stderr);
  return (JSON.parse(result.stdout) as { id: string }).id;
}

/** Process groups of the job's hooks once every one of `count` chunks is running (stamped and sleeping). */
async function runningGroups(stamps: Stamps, count: number): Promise<number[]> {
  await stamps.waitFor(count, 5000);
  return waitUntil(`${count} hook process group(s) of ${stamps.marker}`, () => {
    const groups = [...new Set(liveMatching(stamps.marker).map((p) => p.pgrp))];
    return groups.length === count && liveMatching(`${stamps.marker}/sleep`).length === count ? groups : undefined;
  }, 5000, 10);
}

test(`pause from another host: the remote hook's process group is gone within ${STOP_LIMIT_MS} ms, the chunk queued again`, async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'pause across namespaces', async () => {
    const stamps = await Stamps.create(tmp.dir);
    const job = await submitLong(stamps, 1);
    const groups = await runningGroups(stamps, 1);
    const [stamp] = await stamps.read();

    const pause = await lab.render(['--spool', tmp.spool, 'pause', job]);
    assert.is(pause.code, 0, pause.stderr);
    const goneMs = await waitGroupsGone(groups, 10_000);
    console.log(`    pause on ${stamp.node}: hook group gone ${goneMs.toFixed(0)} ms after render pause returned (${(pause.ms + goneMs).toFixed(0)} ms after it was run)`);
    assert.ok(goneMs < STOP_LIMIT_MS, `hook group gone only ${goneMs.toFixed(0)} ms after render pause returned\n${lab.logs()}`);

    const shown = await waitUntil('the chunk back in the queue', async () => {
      const show = await lab.renderJson<ShowJson>(tmp.spool, ['show', job]);
      return show.chunks.queued === 1 ? show : undefined;
    }, 5000);
    assert.equal(shown.chunks, { total: 1, queued: 1, running: 0, done: 0, failed: 0 });
    assert.ok(shown.paused, 'the job is paused');
    assert.equal(liveMatching(stamps.marker), [], 'nothing of the hook is left');
    assert.ok(nodes.every((n) => n.process.running), 'both nodes still up');
    await lab.render(['--spool', tmp.spool, 'remove', job]);
  });
});

test(`remove from another host: running chunks on both hosts stop within ${STOP_LIMIT_MS} ms, the job is gone`, async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'remove across namespaces', async () => {
    const stamps = await Stamps.create(tmp.dir);
    const job = await submitLong(stamps, 2);
    const groups = await runningGroups(stamps, 2);
    assert.equal(new Set((await stamps.read()).map((s) => s.node)), new Set(['hostb', 'hostc']), 'one chunk on each host');

    const remove = await lab.render(['--spool', tmp.spool, 'remove', job]);
    assert.is(remove.code, 0, remove.stderr);
    const goneMs = await waitGroupsGone(groups, 10_000);
    console.log(`    remove on two hosts: every hook group gone ${goneMs.toFixed(0)} ms after render remove returned (${(remove.ms + goneMs).toFixed(0)} ms after it was run)`);
    assert.ok(goneMs < STOP_LIMIT_MS, `hook groups gone only ${goneMs.toFixed(0)} ms after render remove returned\n${lab.logs()}`);

    assert.equal(liveMatching(stamps.marker), [], 'nothing of either hook is left');
    const list = await lab.renderJson<{ id: string }[]>(tmp.spool, ['list']);
    assert.ok(!list.some((j) => j.id === job), `job ${job} gone from render list: ${JSON.stringify(list)}`);
    assert.ok(nodes.every((n) => n.process.running), 'both nodes still up');
    assert.equal(nodes.flatMap((n) => n.process.lines(/fatal|failed:/)), [], 'and nothing failed on them');
  });
});

test('render node pause|resume from another host: a paused node takes nothing; resumed, it claims within 2 s', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'node control across namespaces', async () => {
    const paused = await lab.render(['--spool', tmp.spool, 'node', 'pause', 'hostb']);
    assert.is(paused.code, 0, paused.stderr);
    const stamps = await Stamps.create(tmp.dir);
    const hostb = nodes.find((n) => n.name === 'hostb')!;
    const seen = hostb.decisions().length;
    const job = await submitLong(stamps, 2);
    await stamps.waitFor(1, 5000);
    // woken by the submission, hostb looked and left the second chunk alone
    await hostb.waitForDecisions([/^woken by peer/, /^rest: paused/], seen, 5000);
    assert.equal((await stamps.read()).map((s) => s.node), ['hostc'], 'only the running node took a chunk');
    const nodesJson = await lab.renderJson<{ name: string; state: string }[]>(tmp.spool, ['nodes']);
    assert.is(nodesJson.find((n) => n.name === 'hostb')?.state, 'paused', 'render nodes shows hostb paused');

    const resumed = await lab.render(['--spool', tmp.spool, 'node', 'resume', 'hostb']);
    assert.is(resumed.code, 0, resumed.stderr);
    const returned = performance.timeOrigin + performance.now();
    const [, second] = await stamps.waitFor(2, 12_000);
    const delay = second.wallMs - returned;
    console.log(`    node resume: hostb claimed ${delay.toFixed(0)} ms after render node resume returned`);
    assert.is(second.node, 'hostb');
    assert.ok(delay < WAKE_LIMIT_MS, `hostb claimed ${delay.toFixed(0)} ms after resume (it polls every 10 s)`);
    await lab.render(['--spool', tmp.spool, 'remove', job]);
    await waitUntil('no hook left', () => liveMatching(stamps.marker).length === 0, 5000);
  });
});

test.run();
