// One reaper of reaper-race.test.ts, in a worker thread (an event loop of its own, so the two reapers
// really run at once): at each round it sweeps, then tries to claim the round's chunk and runs it to done.
import { parentPort, workerData } from 'node:worker_threads';
import { DEFAULT_CADENCE } from '../../src/daemon/cadence.js';
import { systemClock } from '../../src/liveness/clock.js';
import { LockManager } from '../../src/claim/mutex.js';
import { HolderJudge } from '../../src/liveness/judge.js';
import { endAttempt, tryClaim } from '../../src/claim/protocol.js';
import { Reaper } from '../../src/daemon/reaper.js';
import { currentIdentity } from '../../src/nodes/host.js';
import { openSpool } from '../../src/spool/open.js';
import { FORMAT_VERSION, type Holder } from '../../src/spool/records.js';
import { writeNodeRecord } from '../../src/nodes/registry.js';

const { spool, name } = workerData as { spool: string; name: string };
const layout = await openSpool(spool);
const locks = new LockManager(systemClock, () => undefined, `${name}-instance`);
const ctx = { layout, clock: systemClock, log: () => undefined, locks };
const identity = currentIdentity();
const reaper = new Reaper(ctx, new HolderJudge(identity), locks.owner, DEFAULT_CADENCE);
const holder: Holder = { node: name, instance: locks.owner, ...identity };

let beat = 0;

/** A live node heartbeats: without it, this reaper's own claims would be judged dead by the other. */
async function heartbeat(): Promise<void> {
  await writeNodeRecord(layout, {
    v: FORMAT_VERSION, name, instance: locks.owner, ...identity, startedAt: '', beat: ++beat, state: 'running', slots: 1, tags: [], running: [], updatedAt: '',
  });
}

parentPort!.on('message', async ({ job, chunk }: { job: string; chunk: string }) => {
  try {
    await heartbeat();
    const requeued = await reaper.sweep();
    const claim = await tryClaim(ctx, job, chunk, holder);
    let ended = false;
    if (claim.ok) {
      const end = await endAttempt(ctx, job, chunk, { node: name, instance: locks.owner, token: claim.record.token! }, { outcome: 'done' }, { retries: 0, held: claim.lock });
      ended = end.ok;
    }
    parentPort!.postMessage({ requeued, claimed: claim.ok, ended });
  } catch (error) {
    parentPort!.postMessage({ error: (error as Error).stack ?? String(error) });
  }
});
parentPort!.postMessage({ ready: true });
