// Issue 26: a node reads a holder's record at each sweep only if it is one of that holder's three watchers;
// the others judge it only when they read every record (the refresh), or once they become a watcher (a
// survivor that judged a dead watcher gone chooses again without it). So a holder whose watchers all died
// with it must still be judged gone by a node that did not watch it, and its chunk run again. Six nodes,
// each in a pid namespace of its own (no pid to look up: only the silent heartbeat tells), each holding a
// chunk; the victim and its three watchers are SIGKILLed, and the two survivors must finish the job.
import { test as uvuTest } from 'uvu';
import * as assert from 'uvu/assert';
import { canUnsharePids, Fleet, showJob, submitExec, waitJobEnded, waitUntil, withTempSpool, withTimeout } from '../support/index.js';
import { watchesHolder } from '../../src/liveness/watchers.js';
import { gate } from '../support/requires.js';

const test = gate(uvuTest, 'pid namespaces', canUnsharePids() ? null : 'unshare --pid failed (needs root or user namespaces)');
const NODES = 6;
/** Two readings of every record (a minute apart on a small farm) after the kill, the window, and slack for a loaded machine. */
const RECOVERY_MS = 200_000;

test('a holder SIGKILLed with its three watchers: a node that never watched it gives its chunk back', async () => {
  await withTimeout(RECOVERY_MS + 90_000, 'watchers died', () => withTempSpool(async (tmp) => {
    const names = Array.from({ length: NODES }, (_, i) => `d${i + 1}`);
    const fleet = new Fleet(tmp.spool);
    try {
      const nodes = names.map((name) => fleet.start(name, { ownPidNamespace: true, pollMs: 500 }));
      const job = await submitExec(tmp.spool, ['--frames', `1-${NODES}`, '--chunk', '1'], ['sh', '-c', '[ "$RENDER_ATTEMPT" = 1 ] && sleep 30; exit 0']);
      await waitUntil('every node to hold a chunk', async () => {
        const shown = await showJob(tmp.spool, job);
        return shown.chunks.running === NODES && new Set(shown.chunkList.map((c) => c.node).filter(Boolean)).size === NODES;
      }, 60_000, 200);
      const victim = names[0]!;
      const watchers = names.filter((self) => watchesHolder(self, victim, names));
      assert.is(watchers.length, 3, 'three watchers on a farm of six');
      const killed = [victim, ...watchers];
      const survivors = names.filter((name) => !killed.includes(name));
      await Promise.all(nodes.filter((n) => killed.includes(n.name)).map(async (n) => {
        await n.kill('SIGKILL');
        await n.waitExit(5000);
      }));
      const killedAt = Date.now();
      const done = await waitJobEnded(tmp.spool, job, RECOVERY_MS, 500, 'the job to end').catch((error: Error) => {
        throw new Error(`${error.message}\n${fleet.logs().slice(-6000)}`);
      });
      assert.equal(done.chunks, { total: NODES, queued: 0, running: 0, done: NODES, failed: 0 }, fleet.logs().slice(-4000));
      const victimBack = new RegExp(`node ${victim} \\(pid .*is gone; back in the queue`);
      const givers = fleet.nodes.filter((n) => n.lines(victimBack).length > 0);
      assert.equal(givers.map((n) => n.name).filter((name) => !survivors.includes(name)), [], 'only a survivor can have given it back');
      assert.is(givers.length, 1, `one node gave the victim's chunk back: ${givers.map((n) => n.name).join(', ')}`);
      const givenBackAt = Date.parse(givers[0]!.lines(victimBack)[0]!.split(' ')[0]!);
      console.log(`    ${victim} killed with its watchers ${watchers.join(', ')}; its chunk given back by ${givers[0]!.name} ${((givenBackAt - killedAt) / 1000).toFixed(1)} s after`);
    } finally {
      await fleet.stopAll();
    }
  }));
});

test.run();
