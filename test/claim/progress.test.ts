// Issue 15, item 0: a progress save racing a chunk's end must never bring the chunk back into running/.
// Thousands of one-frame chunks are claimed and ended while saves of their progress are under way, on a
// real spool, in this process (the race is between a holder's own writes, so one process shows it).
// Saving through changeChunk, as the worker did before, leaves about one chunk in four in running/ + done/.
import fs from 'node:fs/promises';
import fsSync from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Job, Spool } from '../../src/index.js';
import { endAttempt, tryClaim } from '../../src/claim/protocol.js';
import { HolderWrites, saveRunning } from '../../src/claim/progress.js';
import { claimOf } from '../../src/claim/transitions.js';
import type { FarmContext } from '../../src/claim/context.js';
import { CHUNK_STATES } from '../../src/spool/layout.js';
import { chunkIdOf } from '../../src/spool/running-names.js';
import { currentIdentity, newInstanceId } from '../../src/nodes/host.js';
import type { Holder } from '../../src/spool/records.js';
import { withTempSpool, withTimeout } from '../support/index.js';

const CHUNKS = 2000;
/** Chunks in flight at once: enough that saves and ends of different chunks interleave too. */
const PARALLEL = 32;
const TEST_TIMEOUT_MS = 90_000;

const holder: Holder = { node: 'stress', instance: newInstanceId(), ...currentIdentity() };

async function submitted(dir: string): Promise<{ ctx: FarmContext; job: string; chunks: string[] }> {
  const spool = await Spool.open(dir);
  const [job] = await spool.submit(Job.exec(['true'], { frames: `1-${CHUNKS}`, chunk: 1 }), { cwd: path.dirname(dir) });
  const chunks = Array.from({ length: CHUNKS }, (_, i) => String(i + 1).padStart(4, '0'));
  return { ctx: spool.ctx, job: job.id, chunks };
}

/** Every chunk id → the state folders that hold a file of it. */
async function whereChunksAre(ctx: FarmContext, job: string): Promise<Map<string, string[]>> {
  const found = new Map<string, string[]>();
  for (const state of CHUNK_STATES) {
    for (const name of await fs.readdir(ctx.layout.stateDir(job, state))) {
      const id = chunkIdOf(name);
      if (id) found.set(id, [...(found.get(id) ?? []), state]);
    }
  }
  return found;
}

async function inBatches(chunks: string[], fn: (chunk: string, i: number) => Promise<void>): Promise<void> {
  let next = 0;
  await Promise.all(Array.from({ length: PARALLEL }, async () => {
    while (next < chunks.length) {
      const i = next++;
      await fn(chunks[i]!, i);
    }
  }));
}

type Race = (ctx: FarmContext, job: string, chunk: string, i: number) => Promise<void>;

/** On tmpfs when there is one: the race is in the order of renames, and disk flushes would only slow it. */
const SCRATCH = fsSync.existsSync('/dev/shm') ? 'renderd-progress-' : undefined;

async function raceAll(race: Race): Promise<void> {
  await withTimeout(TEST_TIMEOUT_MS, 'progress race', () => withTempSpool(async (tmp) => {
    const { ctx, job, chunks } = await submitted(tmp.spool);
    await inBatches(chunks, (chunk, i) => race(ctx, job, chunk, i));
    const where = await whereChunksAre(ctx, job);
    const wrong = chunks.filter((c) => where.get(c)?.join() !== 'done').map((c) => `${c}: ${where.get(c)?.join(' + ') ?? 'nowhere'}`);
    assert.equal(wrong, [], 'every chunk in done/ alone');
    assert.equal(await fs.readdir(ctx.layout.stateDir(job, 'running')), [], 'running/ is empty');
  }, SCRATCH, SCRATCH && '/dev/shm'));
}

/** Claims `chunk` and starts `saves` progress saves (not awaited) through `save`; returns what ends it. */
async function claimAndSave(ctx: FarmContext, job: string, chunk: string, i: number, save: (write: () => Promise<unknown>) => Promise<unknown>) {
  const claim = await tryClaim(ctx, job, chunk, holder);
  if (!claim.ok) throw new Error(`chunk ${chunk} not claimed: ${claim.reason}`);
  const { record, lock } = claim;
  const saves: Promise<unknown>[] = [];
  // one to three saves, the last started a varying number of ticks before the end
  for (let n = 0; n <= i % 3; n++) {
    saves.push(save(() => saveRunning(ctx, job, chunk, claimOf(record), (r) => ({ ...r, rev: r.rev + 1, progress: { frame: record.frames[0], framesDone: n } }), lock)));
  }
  for (let tick = 0; tick < i % 4; tick++) await new Promise((resolve) => setImmediate(resolve));
  const end = () => endAttempt(ctx, job, chunk, claimOf(record), { outcome: 'done' }, { retries: 0, held: lock });
  return { saves, end };
}

test(`${CHUNKS} chunks ended while their progress is saved (the holder's serial writes): none in two states`, async () => {
  await raceAll(async (ctx, job, chunk, i) => {
    const writes = new HolderWrites((error) => { throw error; });
    const { saves, end } = await claimAndSave(ctx, job, chunk, i, (write) => writes.save(write));
    const result = await writes.end(end);
    assert.ok(result.ok, `chunk ${chunk} ended: ${JSON.stringify(result)}`);
    await Promise.all(saves);
  });
});

test(`${CHUNKS} chunks ended while saves race them unserialized: a save never recreates a file that left running/`, async () => {
  await raceAll(async (ctx, job, chunk, i) => {
    const { saves, end } = await claimAndSave(ctx, job, chunk, i, (write) => write());
    const result = await end();
    assert.ok(result.ok, `chunk ${chunk} ended: ${JSON.stringify(result)}`);
    const outcomes = await Promise.all(saves);
    assert.ok(outcomes.every((o) => o === 'saved' || o === 'gone'), `saves: ${outcomes.join(', ')}`);
  });
});

test.run();
