// Who watches whom, on a farm larger than the watchers per holder: 8 nodes each hold a chunk, one is SIGKILLed,
// and its chunk comes back and runs to the end — found by its few watchers, not by every node reading every
// heartbeat (src/liveness/watchers.ts).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, showJob, submitExec, waitJobEnded, waitUntil, withTempSpool, withTimeout } from '../support/index.js';
import { watchesHolder } from '../../src/liveness/watchers.js';

const NODES = 8;

test('8 nodes: a SIGKILLed holder\'s chunk is given back by its watchers and done once', async () => {
  await withTimeout(150_000, 'watchers farm', () => withTempSpool(async (tmp) => {
    const names = Array.from({ length: NODES }, (_, i) => `w${i + 1}`);
    const fleet = new Fleet(tmp.spool);
    try {
      const nodes = names.map((name) => fleet.start(name));
      // one chunk per node; the first attempt of each sleeps long, so every node holds one until the kill
      const job = await submitExec(tmp.spool, ['--frames', `1-${NODES}`, '--chunk', '1'], ['sh', '-c', '[ "$RENDER_ATTEMPT" = 1 ] && sleep 20; exit 0']);
      const holders = await waitUntil('every node to hold a chunk', async () => {
        const shown = await showJob(tmp.spool, job);
        return shown.chunks.running === NODES ? shown.chunkList.map((c) => c.node).filter(Boolean) as string[] : false;
      }, 60_000, 200);
      assert.is(new Set(holders).size, NODES, 'one chunk on each node');
      const victim = nodes[2]!;
      await victim.kill('SIGKILL');
      await victim.waitExit(5000);
      const killedAt = Date.now();
      const done = await waitJobEnded(tmp.spool, job, 90_000, 250, 'the job to end');
      assert.equal(done.chunks, { total: NODES, queued: 0, running: 0, done: NODES, failed: 0 }, fleet.logs().slice(-4000));
      const givers = fleet.nodes.filter((n) => n.lines(/is gone; back in the queue/).length > 0).map((n) => n.name);
      assert.is(givers.length, 1, `one node gave the chunk back: ${givers.join(', ')}`);
      const watchers = names.filter((self) => watchesHolder(self, victim.name, names));
      const givenBackAt = Date.parse(fleet.nodes.find((n) => n.name === givers[0])!.lines(/is gone; back in the queue/)[0]!.split(' ')[0]!);
      console.log(`    watchers: ${NODES} nodes, ${victim.name} watched by ${watchers.join(', ')}; given back by ${givers[0]} ${((givenBackAt - killedAt) / 1000).toFixed(1)} s after the kill`);
    } finally {
      await fleet.stopAll();
    }
  }));
});

test.run();
