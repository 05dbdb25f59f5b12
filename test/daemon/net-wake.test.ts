// Peers across hosts (issue 4): two renderd "hosts" in their own network, pid and user namespaces, a
// tool in a third. The nodes poll every 10 s and see no inotify events, so new work reaches them in
// well under a second only through the wake message sent to their advertised TCP address.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs';
import { makeTempSpool, waitUntil, withTimeout, type TempSpool } from '../support/index.js';
import { liveMatching, median, NetLab, netnsAvailable, Stamps, type HostNode, type NodeRecordJson } from './net-support.js';
import type { ProbeCase, ProbeResult } from './net-probe.js';
import { gate } from '../support/requires.js';

const test = gate(uvuTest, 'network namespaces', netnsAvailable() ? null : 'ip netns add failed (needs root and CAP_SYS_ADMIN)');

const TEST_TIMEOUT_MS = 60_000;
const WAKE_LIMIT_MS = 2000;
const ROUNDS = 3;
/** Each round's job: two chunks per node, so both nodes must wake for every chunk to start at once. */
const CHUNKS_PER_ROUND = 4;
const SLOTS = 2;

let tmp: TempSpool;
let lab: NetLab;
let nodes: HostNode[] = [];
let records: NodeRecordJson[] = [];
const now = () => performance.timeOrigin + performance.now();

test.before(async () => {
  tmp = await makeTempSpool('renderd-net-wake-');
  lab = await NetLab.create(tmp.dir, ['hostb', 'hostc']);
  // the tool makes the spool (and its farm key) before any node starts
  await lab.renderJson(tmp.spool, ['list']);
  nodes = ['hostb', 'hostc'].map((host) => lab.startNode(host, tmp.spool, { slots: SLOTS }));
  records = await Promise.all(nodes.map((node) => node.waitUp(tmp.spool)));
});

test.after(async () => {
  await lab?.destroy();
  await tmp?.cleanup();
});

test('the lab: each node is its own host (address, boot id, pid namespace) and sees no inotify events', async () => {
  const localBoot = fs.readFileSync('/proc/sys/kernel/random/boot_id', 'utf8').trim();
  const localPidns = fs.readlinkSync('/proc/self/ns/pid');
  for (const [i, record] of records.entries()) {
    const host = lab.host(record.name);
    assert.equal(record.address?.host, host.address, `${record.name} advertises its namespace's address`);
    assert.is(record.bootId, host.bootId, `${record.name} has a boot id of its own`);
    assert.is.not(record.bootId, localBoot);
    assert.is.not(record.pidns, localPidns, `${record.name} is in a pid namespace of its own`);
    assert.is(record.pid, 1);
    assert.is(record.host, record.name, 'and a host name of its own');
    await nodes[i].process.waitForLine(/watch failed, polling only: EMFILE/, 3000); // inotify is off, as on NFS
  }
  assert.is.not(records[0].pidns, records[1].pidns);
});

test(`wake-up across namespaces: nodes polling every 10 s start a job submitted from the tool namespace within ${WAKE_LIMIT_MS} ms`, async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'wake across namespaces', async () => {
    const stamps = await Stamps.create(tmp.dir);
    const latencies: number[] = [];
    const cliMs: number[] = [];
    // both nodes have looked for work and gone to sleep for 10 s
    await waitUntil('both nodes at rest', () => nodes.every((node) => node.resting), 5000, 20);
    for (let round = 0; round < ROUNDS; round++) {
      const seen = (await stamps.read()).length;
      const exec = await lab.render(['--spool', tmp.spool, 'exec', '--frames', `1-${CHUNKS_PER_ROUND}`, '--chunk', '1', '--json', '--', ...stamps.command(1)]);
      const returned = now();
      assert.is(exec.code, 0, exec.stderr);
      cliMs.push(exec.ms);
      const started = (await stamps.waitFor(seen + CHUNKS_PER_ROUND, 12_000)).slice(seen);
      const delays = started.map((s) => s.wallMs - returned);
      latencies.push(...delays);
      assert.equal(new Set(started.map((s) => s.node)), new Set(['hostb', 'hostc']), 'both nodes were woken');
      assert.ok(Math.max(...delays) < WAKE_LIMIT_MS, `round ${round + 1}: chunks started ${delays.map((d) => d.toFixed(0)).join(', ')} ms after render exec returned\n${lab.logs()}`);
      const wait = await lab.render(['--spool', tmp.spool, 'wait', (JSON.parse(exec.stdout) as { id: string }).id]);
      assert.is(wait.code, 0, wait.stderr);
      // the nodes find nothing more and go back to their 10 s sleep
      await waitUntil('both nodes at rest again', () => nodes.every((node) => node.resting), 5000, 20);
    }
    console.log(`    wake across namespaces: render exec ${median(cliMs).toFixed(0)} ms (median); its return → chunk start median ${median(latencies).toFixed(0)} ms, max ${Math.max(...latencies).toFixed(0)} ms (${latencies.length} chunks)`);
  });
});

test('bad messages from another host: refused and closed, while the node keeps its chunk, answers status and claims', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'bad messages', async () => {
    const stamps = await Stamps.create(tmp.dir);
    const long = (JSON.parse((await lab.render(['--spool', tmp.spool, 'exec', '--json', '--name', 'long', '--', ...stamps.command(60)])).stdout) as { id: string }).id;
    const [first] = await stamps.waitFor(1, 5000);
    const target = nodes.find((n) => n.name === first.node)!;
    const record = records.find((r) => r.name === target.name)!;
    // the chunk's long-lived process: its command, exec'd into sleep
    const [sleeper] = await waitUntil('the long chunk to sleep', () => {
      const pids = liveMatching(`${stamps.marker}/sleep`).map((p) => p.pid);
      return pids.length === 1 ? pids : undefined;
    }, 5000);

    const refused: ProbeCase[] = ['garbage', 'binary', 'unsigned', 'wrong-key', 'bad-mac', 'stale', 'oversized', 'oversized-line', 'stop-chunk-unsigned', 'stop-chunk-wrong-key'];
    const results = await lab.probe<ProbeResult[]>({ host: record.address!.host, port: record.address!.port, spool: tmp.spool, job: long, node: target.name, cases: [...refused, 'replay', 'status'] });
    const byCase = new Map(results.map((r) => [r.case, r]));
    for (const which of refused) {
      const result = byCase.get(which)!;
      assert.equal(result.replies, [], `${which}: no reply`);
      assert.ok(result.closedByNode, `${which}: the node closed the connection`);
    }
    const replay = byCase.get('replay')!;
    assert.is((replay.detail as { first: { replies: string[] } }).first.replies.length, 1, 'a signed wake is answered once');
    assert.ok(replay.replies.length === 0 && replay.closedByNode, 'and refused when replayed');
    const status = byCase.get('status')!.detail as { type: string; body: { node: string; running: { job: string; attempt: number }[] } };
    assert.is(status.type, 'status-reply', `status over TCP from the tool namespace: ${JSON.stringify(status)}`);
    assert.is(status.body.node, target.name);
    assert.equal(status.body.running.map((r) => [r.job, r.attempt]), [[long, 1]], 'status shows the chunk still running on its first attempt');

    assert.ok(target.process.running, 'the node is still up');
    assert.ok(target.process.lines(/refused a (frame|line)/).length > 0, 'and logged the refusals');
    assert.equal(liveMatching(`${stamps.marker}/sleep`).map((p) => p.pid), [sleeper], 'forged stop-chunk messages stopped nothing');

    // still claiming: three more chunks fill every free slot (the target has one), so it takes at least one
    const quick = await Stamps.create(tmp.dir);
    const more = await lab.render(['--spool', tmp.spool, 'exec', '--frames', '1-3', '--chunk', '1', '--json', '--', ...quick.command(1)]);
    const ran = await quick.waitFor(3, 5000);
    assert.ok(ran.some((s) => s.node === target.name), `${target.name} claimed new work: ${JSON.stringify(ran)}`);
    assert.is((await lab.render(['--spool', tmp.spool, 'wait', (JSON.parse(more.stdout) as { id: string }).id])).code, 0);
    await lab.render(['--spool', tmp.spool, 'remove', long]);
  });
});

test.run();
