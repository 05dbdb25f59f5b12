// Stats files on a real spool: appends from many writers at once stay whole lines, the folder is made
// on first use, bad lines are skipped and counted, a symlink is neither followed nor written through.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { appendAttemptStat, createStatsRecorder, readStats, statsDir, statsFile } from '../../src/reports/index.js';
import { SpoolLayout } from '../../src/spool/layout.js';
import { withTempSpool } from '../support/index.js';
import { stat } from './fixtures.js';

test('the first append creates stats/; many concurrent appends give as many whole lines', async () => {
  await withTempSpool(async (tmp) => {
    const layout = new SpoolLayout(tmp.spool);
    await fs.mkdir(tmp.spool);
    const long = 'e'.repeat(1500); // lines near 2 KiB: interleaving would show
    await Promise.all(Array.from({ length: 200 }, (_, i) =>
      appendAttemptStat(layout, stat({ node: i % 2 ? 'n1' : 'n2', chunk: String(i).padStart(4, '0'), error: long }))));
    const read = await readStats(layout);
    assert.is(read.stats.length, 200);
    assert.equal(read.malformed, {});
    assert.equal((await fs.readdir(statsDir(layout))).sort(), ['n1.ndjson', 'n2.ndjson']);
    assert.equal(new Set(read.stats.map((s) => s.chunk)).size, 200);
  });
});

test('malformed lines are skipped and counted per file; --node reads only that file', async () => {
  await withTempSpool(async (tmp) => {
    const layout = new SpoolLayout(tmp.spool);
    await fs.mkdir(statsDir(layout), { recursive: true });
    await appendAttemptStat(layout, stat({ node: 'n1' }));
    await fs.appendFile(statsFile(layout, 'n1'), 'not json\n{"v":1}\n');
    await appendAttemptStat(layout, stat({ node: 'n1', chunk: '0002' }));
    await appendAttemptStat(layout, stat({ node: 'n2' }));
    await fs.appendFile(statsFile(layout, 'n2'), '{"v":1,"job":"j1","jobN'); // cut short by a crash
    const read = await readStats(layout);
    assert.is(read.stats.length, 3);
    assert.equal(read.malformed, { 'n1.ndjson': 2, 'n2.ndjson': 1 });
    const one = await readStats(layout, { nodes: ['n2'] });
    assert.equal(one.stats.map((s) => s.node), ['n2']);
    assert.equal((await readStats(layout, { nodes: ['ghost'] })).stats, []);
  });
});

test('a symlinked stats file is skipped when reading and refused when appending', async () => {
  await withTempSpool(async (tmp) => {
    const layout = new SpoolLayout(tmp.spool);
    await fs.mkdir(statsDir(layout), { recursive: true });
    const outside = tmp.path('outside.txt');
    await fs.writeFile(outside, 'precious\n');
    await fs.symlink(outside, statsFile(layout, 'evil'));
    const logged: string[] = [];
    const read = await readStats(layout, { log: (l) => logged.push(l) });
    assert.equal(read.stats, []);
    assert.match(logged.join('\n'), /evil\.ndjson is a symbolic link/);
    await appendAttemptStat(layout, stat({ node: 'evil' })).then(() => assert.unreachable('appended through a symlink'), (error) => assert.match(error.message, /symbolic link/));
    assert.is(await fs.readFile(outside, 'utf8'), 'precious\n');
  });
});

test('the recorder never throws: a failed write is logged, settle() waits for writes', async () => {
  await withTempSpool(async (tmp) => {
    await fs.writeFile(tmp.spool, 'a file where the spool should be');
    const layout = new SpoolLayout(tmp.spool);
    const logged: string[] = [];
    const recorder = createStatsRecorder({ layout, node: 'n1', host: 'h', slots: 1, clock: { wallIso: () => '2024-05-01T10:00:00.000Z' }, log: (l) => logged.push(l) });
    const job = { id: 'j1', name: 'x', owner: 'o' } as never;
    const record = { id: '0001', frames: [1], attempt: 1, history: [], state: 'done' } as never;
    recorder.record({ job, record, outcome: 'done', durationMs: 5 });
    await recorder.settle();
    assert.is(logged.length, 1);
    assert.match(logged[0], /^stats: could not record attempt of j1\/0001: /);
    assert.ok(path.isAbsolute(tmp.spool));
  });
});

test('a stats file past its size is rotated: one previous generation kept, both read, older ones dropped', async () => {
  await withTempSpool(async (tmp) => {
    const layout = new SpoolLayout(tmp.spool);
    await fs.mkdir(tmp.spool);
    // lines of ~300 bytes, rotated past 1000 bytes: 4 lines per generation at most
    for (let i = 0; i < 20; i++) await appendAttemptStat(layout, stat({ node: 'n1', chunk: String(i).padStart(4, '0') }), 1000);
    assert.equal((await fs.readdir(statsDir(layout))).sort(), ['n1.ndjson', 'n1.previous.ndjson']);
    const read = await readStats(layout, { nodes: ['n1'] });
    const chunks = read.stats.map((s) => s.chunk).sort();
    assert.ok(chunks.length < 20 && chunks.includes('0019'), chunks.join(' '));
    assert.equal((await readStats(layout)).stats.length, chunks.length, 'a full read sees the same');
    for (const name of await fs.readdir(statsDir(layout))) assert.ok((await fs.stat(path.join(statsDir(layout), name))).size < 1000 + 400);
  });
});

test.run();
