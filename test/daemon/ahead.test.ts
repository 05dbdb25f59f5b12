// Claiming ahead: only while every slot runs a chunk of a job whose last chunk here was short.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChunkDurations } from '../../src/daemon/ahead.js';
import { DEFAULT_CADENCE } from '../../src/daemon/cadence.js';

const SHORT_CHUNK_MS = DEFAULT_CADENCE.shortChunkMs;

type Case = [why: string, recorded: [job: string, ms: number][], running: string[], expected: boolean];

const CASES: Case[] = [
  ['nothing running: a free slot claims the normal way', [['a', 5]], [], false],
  ['a job never seen here may be long', [], ['a'], false],
  ['the running job is short', [['a', 5]], ['a'], true],
  ['at the threshold is not short', [['a', SHORT_CHUNK_MS]], ['a'], false],
  ['its last chunk counts, not an earlier one', [['a', 5], ['a', 60_000]], ['a'], false],
  ['every slot must run a short job', [['a', 5], ['b', 60_000]], ['a', 'b'], false],
  ['two slots of short jobs', [['a', 5], ['b', 8]], ['a', 'b', 'a'], true],
];

for (const [why, recorded, running, expected] of CASES) {
  test(why, () => {
    const durations = new ChunkDurations(SHORT_CHUNK_MS);
    for (const [job, ms] of recorded) durations.record(job, ms);
    assert.is(durations.mayClaimAhead(running), expected);
  });
}

test('a job whose chunk failed here is unknown again', () => {
  const durations = new ChunkDurations(SHORT_CHUNK_MS);
  durations.record('a', 5);
  durations.forget('a');
  assert.is(durations.mayClaimAhead(['a']), false);
});

test('memory stays bounded: the job seen longest ago is forgotten first', () => {
  const durations = new ChunkDurations(SHORT_CHUNK_MS);
  durations.record('first', 5);
  for (let i = 0; i < 1000; i++) durations.record(`job${i}`, 5);
  assert.is(durations.mayClaimAhead(['first']), false);
  assert.is(durations.mayClaimAhead(['job999']), true);
});

test.run();
