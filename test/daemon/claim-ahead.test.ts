// Claiming ahead on a real node with one slot: behind short chunks the next chunk is claimed while the
// current one runs (its claim is older than the end of the hook before it); a node told to stop gives
// the chunk it claimed ahead back to the queue, unstarted, and exits with nothing left running.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, killMatching, Ledger, showJob, submitExec, waitUntil, withTempSpool, withTimeout } from '../support/index.js';
import type { AttemptRecord, ChunkRecord } from '../../src/spool/records.js';
import type { LedgerEvent } from '../support/ledger.js';

const TEST_TIMEOUT_MS = 120_000;
const CHUNKS = 400;
/** Chunks claimed ahead the test waits for: the rule behind short chunks, not the odd one. */
const AHEAD_WANTED = 10;
/**
 * Whether a chunk counts as short (cadence.ts shortChunkMs, 100 ms from its hooks' start to its recorded end) depends on the
 * machine: on one loaded ten times over no chunk is (~250 ms each), and none is claimed ahead, rightly. So the node
 * is told chunks under 5 s are short, and each hook takes 0.3 s, long enough for the claim ahead to land while it runs.
 */
const SHORT_ENV = { RENDERD_SHORT_CHUNK_MS: '5000' };
const HOOK_SECONDS = 0.3;

async function chunkRecords(spool: string, job: string): Promise<ChunkRecord[]> {
  const records: ChunkRecord[] = [];
  for (const state of ['queued', 'running', 'done', 'failed']) {
    const dir = path.join(spool, 'jobs', job, state);
    for (const name of await fs.readdir(dir)) records.push(JSON.parse(await fs.readFile(path.join(dir, name), 'utf8')) as ChunkRecord);
  }
  return records;
}

/** Done chunks after the first, in claim order, that were claimed (startedAt, ms) before the hook of the chunk before them had ended (its END line, µs). */
function claimedAhead(records: ChunkRecord[], events: LedgerEvent[]): { ahead: number; of: number } {
  const done = records.filter((r) => r.state === 'done').sort((a, b) => Date.parse(a.startedAt!) - Date.parse(b.startedAt!));
  const endUs = new Map(events.filter((e) => e.kind === 'END').map((e) => [e.chunk, e.timeUs]));
  const ahead = done.slice(1).filter((r, i) => Date.parse(r.startedAt!) * 1000 + 1000 < (endUs.get(done[i].id) ?? 0)).length;
  return { ahead, of: Math.max(done.length - 1, 0) };
}

test('one slot, short chunks: the next chunk is claimed while one runs; SIGTERM gives the waiting one back', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'claim ahead', () => withTempSpool(async (tmp) => {
    const ledger = await Ledger.create(tmp.dir);
    const job = await submitExec(tmp.spool, ['--frames', `1-${CHUNKS}`, '--chunk', '1', '--retries', '0'], ledger.command(1, HOOK_SECONDS));
    const fleet = new Fleet(tmp.spool);
    try {
      const node = fleet.start('solo', { slots: 1, env: SHORT_ENV });
      let seen = { ahead: 0, of: 0 };
      await waitUntil(`${AHEAD_WANTED} chunks claimed while the one before ran`, async () => {
        seen = claimedAhead(await chunkRecords(tmp.spool, job), await ledger.events());
        return seen.ahead >= AHEAD_WANTED;
      }, 75_000, 250).catch((error: Error) => { throw new Error(`${error.message}: ${seen.ahead} of ${seen.of} were`); });
      await node.kill('SIGTERM');
      assert.equal(await node.waitExit(20_000), { code: 0, signal: null }, node.stderr);

      const events = await ledger.events();
      const records = await chunkRecords(tmp.spool, job);
      const { ahead, of } = claimedAhead(records, events);
      assert.ok(ahead >= AHEAD_WANTED, `${ahead} of ${of} chunks were claimed while the one before ran`);

      const shown = await showJob(tmp.spool, job);
      assert.is(shown.chunks.running, 0, 'nothing left claimed');
      assert.is(shown.chunks.done + shown.chunks.queued, CHUNKS);
      // a chunk given back before it started has a stopped attempt, and no START line for it
      const givenBack: [ChunkRecord, AttemptRecord][] = records.flatMap((r) => r.history.filter((h) => h.outcome === 'stopped').map((h): [ChunkRecord, AttemptRecord] => [r, h]));
      for (const [record, attempt] of givenBack) {
        assert.is(record.state, 'queued', `chunk ${record.id} is back in the queue`);
        assert.not.ok(events.some((e) => e.chunk === record.id && e.attempt === attempt.attempt), `chunk ${record.id} attempt ${attempt.attempt} never started`);
      }
      console.log(`    claim ahead: ${ahead} of ${of} chunks claimed while the one before ran; ${givenBack.length} given back at SIGTERM`);
      assert.ok(givenBack.length <= 1, `at most the one chunk claimed ahead was given back: ${givenBack.length}`);
    } finally {
      await fleet.stopAll();
      await killMatching(ledger.marker);
    }
  }));
});

test.run();
