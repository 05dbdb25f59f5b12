// The multi-node scenario on a real network filesystem (issue 15, item 7): one GlusterFS volume, three
// FUSE mounts each with its own caches (attributes ~1 s stale, ESTALE on files another client replaced,
// no inotify across clients), one renderd per mount in its own pid namespace (so only heartbeats judge it).
// One node is SIGKILLed mid-run: every chunk ends done, attempts never overlap, no surviving node dies.
// test-runner: needs glusterd
import path from 'node:path';
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import {
  attemptsOf, canUnsharePids, completionProblemsWithKills, Fleet, killMatching, Ledger, overlappingAttempts, processesOfNode, sleep,
  submitExec, waitJobEnded, waitUntil, withTempSpool, withTimeout, type NodeProcess,
} from '../support/index.js';
import { GlusterVolume, glusterUnavailable } from '../support/gluster.js';
import { gate } from '../support/requires.js';

const test = gate(uvuTest, 'GlusterFS and pid namespaces', glusterUnavailable() ?? (canUnsharePids() ? null : 'cannot start a node in its own pid namespace'));

const CHUNKS = 18;
const ROUNDS = Number(process.env.GLUSTER_ROUNDS ?? 2);

test(`three nodes on three GlusterFS mounts, one SIGKILLed mid-run (${ROUNDS} rounds): all done once, no overlap, no node dies`, async () => {
  for (let round = 1; round <= ROUNDS; round++) {
    await withTimeout(240_000, `gluster round ${round}`, () => withTempSpool(async (tmp) => {
      const volume = await GlusterVolume.create(tmp.path('gluster'), 3);
      const fleets: Fleet[] = [];
      const ledger = await Ledger.create(tmp.dir); // on the local disk: its append order is the truth
      try {
        const spools = volume.mounts.map((m) => path.join(m, 'spool'));
        // ~1.5 s chunks: a kill lands mid-chunk
        const job = await submitExec(spools[0], ['--frames', `1-${CHUNKS}`, '--chunk', '1', '--retries', '0'], ledger.command(6, 0.25));
        const nodes: NodeProcess[] = ['g1', 'g2', 'g3'].map((name, i) => {
          const fleet = new Fleet(spools[i]);
          fleets.push(fleet);
          return fleet.start(name, { slots: 2, pollMs: 500, ownPidNamespace: true });
        });
        const victim = nodes[round % 3];
        await waitUntil(`${victim.name} to be mid-chunk`, async () => (await processesOfNode(ledger.marker, victim.name)).length > 0, 60_000, 50);
        await sleep(300); // the fault's moment: the kill lands a little way into the chunk, not at its start
        const killedAtUs = Date.now() * 1000;
        await victim.kill('SIGKILL');
        await victim.waitExit(10_000);
        await ledger.noteKill(victim.name);

        const done = await waitJobEnded(spools[1], job, 150_000, 500, 'the job to finish');
        const logs = fleets.map((f) => f.logs()).join('\n').slice(-6000);
        assert.equal(done.chunks, { total: CHUNKS, queued: 0, running: 0, done: CHUNKS, failed: 0 }, logs);
        const events = await ledger.events();
        const recorded = new Map(done.chunkList.map((c) => [c.id, c.attempt]));
        assert.equal(completionProblemsWithKills(events, job, recorded), [], logs);
        assert.equal(overlappingAttempts(attemptsOf(events), { byTime: true }), [], 'no two attempts of a chunk overlap');
        // recovery: from the kill to the start of the next attempt of each chunk the victim was running
        const attempts = attemptsOf(events);
        const cut = attempts.filter((a) => a.node === victim.name && !a.completed);
        const waits = cut.map((a) => (attempts.find((b) => b.chunk === a.chunk && b.attempt > a.attempt)?.firstUs ?? NaN) - killedAtUs);
        console.log(`    gluster round ${round}: ${victim.name} killed mid-chunk (${cut.length} attempt(s) cut); re-run after ${waits.map((us) => `${(us / 1e6).toFixed(1)} s`).join(', ')}`);
        const survivors = nodes.filter((n) => n !== victim);
        assert.ok(survivors.every((n) => n.running), `no surviving node died:\n${logs}`);
        assert.equal(survivors.flatMap((n) => n.lines(/fatal|result not recorded/)), [], logs);
      } finally {
        await Promise.all(fleets.map((f) => f.stopAll()));
        await killMatching(ledger.marker);
        await volume.destroy();
      }
    }));
  }
});

test.run();
