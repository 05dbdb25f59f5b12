// Two reapers on one dead holder, many times over (issue 15, item 5). Every round, a chunk is claimed by
// an instance whose process is dead (same kernel: proven at once) and which keeps its lock; two reapers in
// two threads sweep at the same moment, then both try to claim the chunk and run it. Each round: the chunk
// is requeued once, claimed once, ends done once, and exists as exactly one file.
import { spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Worker } from 'node:worker_threads';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Job, Spool } from '../../src/index.js';
import { LockManager } from '../../src/claim/mutex.js';
import { systemClock } from '../../src/liveness/clock.js';
import { tryClaim } from '../../src/claim/protocol.js';
import { currentIdentity } from '../../src/nodes/host.js';
import { writeNodeRecord } from '../../src/nodes/registry.js';
import { makeHoldingMark } from '../../src/liveness/holding-marks.js';
import { CHUNK_STATES } from '../../src/spool/layout.js';
import { FORMAT_VERSION, type Holder } from '../../src/spool/records.js';
import { withTempSpool, withTimeout } from '../support/index.js';

const ROUNDS = 200;
const WORKER = path.join(path.dirname(fileURLToPath(import.meta.url)), 'reaper-race-worker.js');

type Reply = { requeued: number; claimed: boolean; ended: boolean; error?: string };

function startReaper(spool: string, name: string): Promise<{ worker: Worker; round: (job: string, chunk: string) => Promise<Reply> }> {
  const worker = new Worker(WORKER, { workerData: { spool, name } });
  return new Promise((resolve, reject) => {
    worker.once('error', reject);
    worker.once('message', () => resolve({
      worker,
      round: (job, chunk) => new Promise((done) => {
        worker.once('message', done);
        worker.postMessage({ job, chunk });
      }),
    }));
  });
}

/** The pid of a process that has exited (and been reaped): a holder proven dead on this kernel. */
function deadPid(): number {
  return spawnSync('true').pid!;
}

test(`two reapers on one dead holder, ${ROUNDS} rounds: one requeue, one claim, one run, one file`, async () => {
  await withTimeout(240_000, 'reaper race', () => withTempSpool(async (tmp) => {
    const spool = await Spool.open(tmp.spool);
    const [job] = await spool.submit(Job.exec(['true'], { frames: `1-${ROUNDS}`, chunk: 1 }), { cwd: tmp.dir });
    const { layout } = spool.ctx;
    const reapers = await Promise.all([startReaper(tmp.spool, 'reaper-a'), startReaper(tmp.spool, 'reaper-b')]);
    const problems: string[] = [];
    let slowRounds = 0;
    try {
      for (let round = 1; round <= ROUNDS; round++) {
        const chunk = String(round).padStart(4, '0');
        // the holder: claims the chunk, keeps its lock, and is dead
        const instance = `dead-${round}`;
        const identity = { ...currentIdentity(), pid: deadPid(), pidStart: '1' };
        const holder: Holder = { node: `dead${round}`, instance, ...identity };
        const locks = new LockManager(systemClock, () => undefined, instance);
        // a holder marks itself before its first claim: the reapers watch marked nodes only
        makeHoldingMark(layout, { node: holder.node, instance });
        const claimed = await tryClaim({ ...spool.ctx, locks }, job.id, chunk, holder);
        assert.ok(claimed.ok, `round ${round}: the dead holder's claim`);
        await writeNodeRecord(layout, {
          v: FORMAT_VERSION, name: holder.node, instance, ...identity, startedAt: '', beat: 1, state: 'running', slots: 1, tags: [],
          running: [{ job: job.id, chunk, token: claimed.record.token!, attempt: 1, startedAt: '' }], updatedAt: '',
        });
        // the two sweep at once, as every node does every 2 s, until one of them has run the chunk
        const replies: Reply[] = [];
        for (let sweep = 0; sweep < 5 && !replies.some((r) => r.ended); sweep++) {
          replies.push(...await Promise.all(reapers.map((r) => r.round(job.id, chunk))));
        }
        for (const reply of replies) if (reply.error) throw new Error(reply.error);
        const files = (await Promise.all(CHUNK_STATES.map(async (state) =>
          (await fs.readdir(layout.stateDir(job.id, state))).filter((n) => n.startsWith(chunk)).map((n) => `${state}/${n}`)))).flat();
        const claims = replies.filter((r) => r.claimed).length;
        const ends = replies.filter((r) => r.ended).length;
        const record = JSON.parse(await fs.readFile(layout.chunkFile(job.id, 'done', chunk), 'utf8').catch(() => '{}')) as { history?: { outcome: string }[] };
        const outcomes = (record.history ?? []).map((h) => h.outcome).join(',');
        if (replies.length > 2) slowRounds++;
        if (files.length !== 1 || files[0] !== `done/${chunk}.json` || outcomes !== 'lost,done' || claims !== 1 || ends !== 1) {
          problems.push(`round ${round}: files ${files.join(', ')}; history ${outcomes}; claimed ${claims}, ended ${ends}`);
        }
      }
      console.log(`    reaper race: ${ROUNDS} rounds, ${slowRounds} needed a second sweep (the two broke each other's fresh lock: both backed off)`);
      assert.equal(problems, []);
      const shown = await spool.get(job.id);
      assert.ok(shown.chunkList.every((c) => c.state === 'done' && c.attempt === 2), 'every chunk: attempt 1 lost, attempt 2 done');
    } finally {
      await Promise.all(reapers.map((r) => r.worker.terminate()));
    }
  }));
});

test.run();
