import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FarmReader, LOG_TAIL_BYTES } from '../../../src/tui/farm/reader.js';
import { DONE_SAMPLE, pickSample } from '../../../src/tui/farm/timings.js';
import { BeatWatch } from '../../../src/tui/farm/liveness.js';
import { writeNodeRecord } from '../../../src/nodes/registry.js';
import { submitJob } from '../../../src/jobs/submit.js';
import { packagePath } from '../../../src/hooks/defaults.js';
import { withTimeout } from '../../support/index.js';
import { node } from '../fixtures.js';
import { openTestFarm, queueJob, settleChunk } from './context.js';

const T0 = Date.parse('2026-03-01T10:00:00.000Z');
const at = (s: number) => new Date(T0 + s * 1000).toISOString();

test('overview: jobs, nodes, and timings from done chunks (each read once)', () => withTimeout(20_000, 'overview', async () => {
  const { ctx, temp } = await openTestFarm();
  try {
    const id = await queueJob(ctx, 'shot', 6);
    await settleChunk(ctx, id, '0001', 'done', at(0), at(60));
    await settleChunk(ctx, id, '0002', 'done', at(60), at(180));
    await settleChunk(ctx, id, '0003', 'failed', at(0), at(5));
    await writeNodeRecord(ctx.layout, node('n1', { running: [{ job: id, chunk: '0004', token: 't', attempt: 1, startedAt: at(200) }] }));
    const reader = new FarmReader(ctx);
    const first = await reader.readOverview();
    assert.equal(first.jobs.map((j) => [j.name, j.chunks.done, j.chunks.failed, j.chunks.queued]), [['shot', 2, 1, 3]]);
    assert.equal(first.nodes.map((n) => n.name), ['n1']);
    assert.equal(first.timings.get(id), { doneMs: 180_000, doneCount: 2, firstStartMs: T0, lastEndMs: T0 + 180_000, runningStartsMs: [T0 + 200_000] });
    assert.equal(first.nodeSilentMs.get('n1'), 0);
    // read once: a chunk file changed afterwards does not change the sum
    await fs.writeFile(ctx.layout.chunkFile(id, 'done', '0001'), 'garbage');
    assert.is((await reader.readOverview()).timings.get(id)!.doneMs, 180_000);
  } finally {
    await temp.cleanup();
  }
}));

test('chunks are read again only when the job moved or runs', () => withTimeout(20_000, 'chunks', async () => {
  const { ctx, temp } = await openTestFarm();
  try {
    const id = await queueJob(ctx, 'shot', 3);
    const reader = new FarmReader(ctx);
    const [job] = (await reader.readOverview()).jobs;
    const first = await reader.readChunks(job);
    assert.equal(first.map((c) => `${c.id}:${c.state}`), ['0001:queued', '0002:queued', '0003:queued']);
    assert.is(await reader.readChunks(job), first, 'same counts: the cached list');
    await settleChunk(ctx, id, '0002', 'done', at(0), at(1));
    const [moved] = (await reader.readOverview()).jobs;
    assert.equal((await reader.readChunks(moved)).map((c) => c.state), ['queued', 'done', 'queued']);
  } finally {
    await temp.cleanup();
  }
}));

test('log tail: the whole of a short log, the end of a long one from a line start, nothing for no log', () => withTimeout(20_000, 'log', async () => {
  const { ctx, temp } = await openTestFarm();
  try {
    const id = await queueJob(ctx, 'shot', 1);
    const reader = new FarmReader(ctx);
    assert.is(await reader.readLogTail(id, '0001', 1), '');
    const file = ctx.layout.logFile(id, '0001', 1);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, 'one\ntwo\n');
    assert.is(await reader.readLogTail(id, '0001', 1), 'one\ntwo\n');
    const long = Array.from({ length: 20_000 }, (_, i) => `line ${i}`).join('\n') + '\n';
    await fs.writeFile(file, long);
    const tail = await reader.readLogTail(id, '0001', 1);
    assert.ok(tail.length <= LOG_TAIL_BYTES && tail.length > LOG_TAIL_BYTES - 20);
    assert.match(tail, /^line \d+\n/);
    assert.ok(tail.endsWith('line 19999\n'));
  } finally {
    await temp.cleanup();
  }
}));

test('pickSample: the first chunk and the newest ones', () => {
  const names = ['0001', '0002', '0003', '0004', '0005'];
  assert.equal(pickSample(names, 3), ['0001', '0004', '0005']);
  assert.equal(pickSample(names, 10), names);
  assert.equal(pickSample(names, 0), []);
  assert.ok(DONE_SAMPLE >= 10);
});

test('a heartbeat that stands still grows silent on our clock; a new beat or instance resets it', () => {
  let now = 1000;
  const watch = new BeatWatch({ monotonicMs: () => now });
  const n = node('n1', { beat: 5 });
  assert.is(watch.observe([n]).get('n1'), 0);
  now += 4000;
  assert.is(watch.observe([n]).get('n1'), 4000);
  now += 1000;
  assert.is(watch.observe([{ ...n, beat: 6 }]).get('n1'), 0);
  now += 1000;
  assert.is(watch.observe([{ ...n, beat: 6, instance: 'new' }]).get('n1'), 0);
});


test('a queued job no live node can run carries the one-line reason; a node that can run it clears it', () => withTimeout(20_000, 'stranded', async () => {
  const { ctx, temp } = await openTestFarm();
  try {
    const submitted = await submitJob(ctx, {
      kind: 'blender', name: 'new', file: '/p/new.blend', frames: [1, 2], chunkSize: 1, priority: 0, blenderNeeds: '5.2',
      after: [], retries: 0, paused: false, noOverwrite: false, owner: 'ana', host: 'h', cwd: '/', hooksDir: packagePath('hooks', 'blender'),
    });
    const now = new Date().toISOString();
    await writeNodeRecord(ctx.layout, node('old', { updatedAt: now, blenders: [{ version: '3.4.1', oidn: false }] }));
    await writeNodeRecord(ctx.layout, node('mid', { updatedAt: now, blenders: [{ version: '4.3.2' }] }));
    const reader = new FarmReader(ctx);
    const stranded = (await reader.readOverview()).jobs.find((j) => j.id === submitted.id)!;
    assert.equal([stranded.state, stranded.reason], ['queued', 'needs Blender ≥ 5.2; nodes have 3.4, 4.3']);
    await writeNodeRecord(ctx.layout, node('new', { updatedAt: now, blenders: [{ version: '5.2.0' }] }));
    assert.is((await reader.readOverview()).jobs.find((j) => j.id === submitted.id)!.reason, undefined);
  } finally {
    await temp.cleanup();
  }
}));

test.run();
