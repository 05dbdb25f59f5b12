// A host that dies, a host that hangs (issue 4), and a live host whose advertised address refuses
// (issue 15). The holder is in another pid namespace, so the pid shortcut cannot judge it: "connection
// refused" and silence are hints, and only its heartbeat unchanged for the 15 s window on the observer's
// clock judges it dead. A hung host's late result, when it wakes up, is fenced off.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTempSpool, sleep, waitUntil, withTimeout, type ShowJson, type TempSpool } from '../support/index.js';
import { liveMatching, NetLab, netnsAvailable, Stamps, type HostNode } from './net-support.js';
import { gate } from '../support/requires.js';

const test = gate(uvuTest, 'network namespaces', netnsAvailable() ? null : 'ip netns add failed (needs root and CAP_SYS_ADMIN)');

const TEST_TIMEOUT_MS = 60_000;
/** NODE_SILENT_MS: nothing but the heartbeat window judges a host in another pid namespace. */
const SILENT_WINDOW_MS = 15_000;
/** The goal is window + 2 s; the rest is a margin for sweeps on a loaded 2-core machine. */
const RECOVERY_LIMIT_MS = SILENT_WINDOW_MS + 6000;

let tmp: TempSpool;
let lab: NetLab;

test.before(async () => {
  tmp = await makeTempSpool('renderd-net-liveness-');
  lab = await NetLab.create(tmp.dir, ['hostb', 'hostc', 'hostd', 'hoste', 'hostf', 'hostg']);
  await lab.renderJson(tmp.spool, ['list']);
});

test.after(async () => {
  await lab?.destroy();
  await tmp?.cleanup();
});

/** Starts `holder` alone, runs a one-chunk job on it (long on attempt 1 only), then starts `rescuer`. */
async function chunkHeldBy(holderHost: string, rescuerHost: string, firstAttemptSeconds: number): Promise<{ job: string; stamps: Stamps; holder: HostNode; rescuer: HostNode }> {
  const holder = lab.startNode(holderHost, tmp.spool);
  await holder.waitUp(tmp.spool);
  const stamps = await Stamps.create(tmp.dir);
  const exec = await lab.render(['--spool', tmp.spool, 'exec', '--retries', '0', '--json', '--', ...stamps.command(firstAttemptSeconds, 1)]);
  assert.is(exec.code, 0, exec.stderr);
  const [first] = await stamps.waitFor(1, 5000);
  assert.equal([first.node, first.attempt], [holderHost, 1]);
  const rescuer = lab.startNode(rescuerHost, tmp.spool);
  await rescuer.waitUp(tmp.spool);
  // its window counts from a beat it saw change, not from a first sighting after the fault
  await rescuer.waitForDecisions([new RegExp(`^watching holder ${holderHost} `)], 0, 15_000);
  return { job: (JSON.parse(exec.stdout) as { id: string }).id, stamps, holder, rescuer };
}

async function waitDone(job: string, timeoutMs = 15_000): Promise<ShowJson> {
  return waitUntil(`job ${job} done`, async () => {
    const show = await lab.renderJson<ShowJson>(tmp.spool, ['show', job]);
    return show.state === 'done' ? show : undefined;
  }, timeoutMs, 200);
}

test(`a host whose renderd is SIGKILLed mid-chunk: judged by its silent heartbeat, the chunk re-runs elsewhere within ${RECOVERY_LIMIT_MS} ms`, async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'dead host', async () => {
    const { job, stamps, holder, rescuer } = await chunkHeldBy('hostb', 'hostc', 60);
    const killedAt = performance.timeOrigin + performance.now();
    await holder.killRenderd();
    await holder.process.waitExit(5000);
    assert.equal(liveMatching(stamps.marker), [], 'the host\'s hook died with its renderd');

    const [, rerun] = await stamps.waitFor(2, SILENT_WINDOW_MS + 10_000);
    const detectedMs = rerun.wallMs - killedAt;
    console.log(`    dead host: chunk re-run on ${rerun.node} ${(detectedMs / 1000).toFixed(1)} s after renderd on hostb was SIGKILLed`);
    assert.equal([rerun.node, rerun.attempt], ['hostc', 2]);
    assert.ok(detectedMs >= SILENT_WINDOW_MS - 2500, `a refused socket is no verdict: re-run ${detectedMs.toFixed(0)} ms after the kill`);
    assert.ok(detectedMs < RECOVERY_LIMIT_MS, `re-run ${detectedMs.toFixed(0)} ms after the kill\n${lab.logs()}`);
    assert.ok(rescuer.process.lines(/node hostb \(pid 1 on hostb\) is gone; back in the queue/).length === 1, `the rescuer says why:\n${rescuer.process.stderr}`);

    const shown = await waitDone(job);
    assert.equal(shown.chunks, { total: 1, queued: 0, running: 0, done: 1, failed: 0 });
    assert.is(shown.chunkList[0].attempt, 2);
    assert.is(shown.chunkList[0].failures, 0, 'a lost node does not use up a retry');
    await rescuer.process.kill('SIGKILL');
    await rescuer.process.exited;
  });
});

test('a hung host (every process stopped) answers nothing: judged only after the 15 s window, and its late result is fenced off', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'hung host', async () => {
    const { job, stamps, holder, rescuer } = await chunkHeldBy('hostd', 'hoste', 8);
    const frozenAt = performance.timeOrigin + performance.now();
    await holder.signalAll('SIGSTOP');
    try {
      const [, rerun] = await stamps.waitFor(2, SILENT_WINDOW_MS + 15_000);
      const judgedMs = rerun.wallMs - frozenAt;
      console.log(`    hung host: chunk re-run on ${rerun.node} ${(judgedMs / 1000).toFixed(1)} s after hostd stopped`);
      assert.equal([rerun.node, rerun.attempt], ['hoste', 2]);
      assert.ok(judgedMs >= SILENT_WINDOW_MS - 2500, `a host that accepts connections but does not answer is not judged by its socket (re-run after ${judgedMs.toFixed(0)} ms)`);
      assert.ok(judgedMs < SILENT_WINDOW_MS + 8000, `but by the heartbeat window (re-run after ${judgedMs.toFixed(0)} ms)\n${lab.logs()}`);
      await waitDone(job);
    } finally {
      await holder.signalAll('SIGCONT');
    }
    // woken up, the holder finishes its (8 s) attempt, whose sleep ran out while stopped: the claim token moved on, so nothing is recorded
    await holder.process.waitForLine(/result not recorded/, 15_000);
    const shown = await lab.renderJson<ShowJson>(tmp.spool, ['show', job]);
    assert.equal(shown.chunks, { total: 1, queued: 0, running: 0, done: 1, failed: 0 });
    assert.equal([shown.chunkList[0].attempt, shown.chunkList[0].node], [2, 'hoste'], 'the record is the rescuer\'s');
    assert.ok(holder.process.running && rescuer.process.running, 'both nodes still up');
  });
});

test('a live host whose advertised address refuses connections keeps its chunk through a heartbeat gap', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'refused address', async () => {
    // the nodes of the tests above must not take the chunk
    await Promise.all(lab.nodes.map(async (n) => { await n.process.kill('SIGKILL'); await n.process.exited; }));
    // hostf advertises the tool namespace's address, where nothing listens: every ask is refused
    // (its wake-ups are refused too: it finds new work by its poll)
    const holder = lab.startNode('hostf', tmp.spool, { pollMs: 1000, extraArgs: ['--advertise', lab.tool.address] });
    await holder.waitUp(tmp.spool);
    const stamps = await Stamps.create(tmp.dir);
    const exec = await lab.render(['--spool', tmp.spool, 'exec', '--retries', '0', '--json', '--', ...stamps.command(20, 1)]);
    assert.is(exec.code, 0, exec.stderr);
    const job = (JSON.parse(exec.stdout) as { id: string }).id;
    await stamps.waitFor(1, 10_000);
    const rescuer = lab.startNode('hostg', tmp.spool);
    await rescuer.waitUp(tmp.spool);
    await rescuer.waitForDecisions([/^watching holder hostf /], 0, 15_000);
    const seen = rescuer.decisions().length;
    // renderd alone stops (its render goes on) for longer than the suspect time, well under the window:
    // the rescuer asks, is refused, and must wait for the window, which the heartbeat's return resets
    process.kill(await holder.process.nodePid(), 'SIGSTOP');
    await sleep(8000); // the fault itself: a stop of 8 s, past the suspect time (5 s), within the window (15 s)
    process.kill(await holder.process.nodePid(), 'SIGCONT');
    await rescuer.waitForDecisions([/^holder hostf suspect /, /^holder hostf alive again /], seen, 15_000);
    const shown = await waitDone(job, 40_000);
    assert.equal([shown.chunkList[0].attempt, shown.chunkList[0].node], [1, 'hostf'], `one attempt, the holder's\n${lab.logs()}`);
    assert.is((await stamps.read()).length, 1, 'the chunk never started again');
    assert.equal(rescuer.process.lines(/hostf.*is gone/), [], 'nobody judged the live holder dead');
    assert.ok(holder.process.running, 'the holder is still up');
    await Promise.all([holder.process.kill('SIGKILL'), rescuer.process.kill('SIGKILL')]);
  });
});

test.run();
