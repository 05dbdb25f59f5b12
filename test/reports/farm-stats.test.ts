// Stats from a real run: two renderd nodes (--exit-when-idle) render a 40-frame job in chunks of 4 and
// a job whose chunks always fail. `render stats` must add up: frames, chunks, per-node totals equal to
// the job's, failed attempts counted; `render list` filters select what they say on that spool.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, renderJson, runRender, submitExec, withTempSpool, withTimeout, type ShowJson } from '../support/index.js';
import { parseStatsText, type FarmReport } from '../../src/reports/index.js';
import { xmlProblems } from './xml-check.js';

const TEST_TIMEOUT_MS = 120_000;
type StatsJson = FarmReport & { malformed: Record<string, number>; written?: Record<string, string> };

test('two nodes: stats add up per job and per node; failures counted; list filters select', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'farm stats', () => withTempSpool(async (tmp) => {
    const good = await submitExec(tmp.spool, ['--frames', '1-40', '--chunk', '4', '--name', 'good_shot'], ['sh', '-c', 'sleep 0.1']);
    const bad = await submitExec(tmp.spool, ['--frames', '1-8', '--chunk', '4', '--retries', '1', '--name', 'bad_bake'], ['sh', '-c', 'exit 1']);
    const fleet = new Fleet(tmp.spool);
    try {
      for (const name of ['n1', 'n2']) fleet.start(name, { exitWhenIdle: true });
      const exits = await Promise.all(fleet.nodes.map((n) => n.waitExit(TEST_TIMEOUT_MS - 20_000)));
      exits.forEach((exit, i) => assert.equal(exit, { code: 0, signal: null }, fleet.nodes[i].stderr.slice(-3000)));
    } finally {
      await fleet.stopAll();
    }

    // the files: one per node that ran something, every line valid and written by that node
    const files = (await fs.readdir(path.join(tmp.spool, 'stats'))).sort();
    assert.ok(files.length >= 1 && files.every((f) => /^n[12]\.ndjson$/.test(f)), files.join(' '));
    let lines = 0;
    for (const file of files) {
      const [stats, badLines] = parseStatsText(await fs.readFile(path.join(tmp.spool, 'stats', file), 'utf8'));
      assert.is(badLines, 0);
      assert.ok(stats.every((s) => `${s.node}.ndjson` === file && s.slots === 1 && s.host.length > 0));
      lines += stats.length;
    }
    assert.is(lines, 10 + 4, '10 done chunks, 2 chunks × 2 failed attempts');

    const report = await renderJson<StatsJson>(tmp.spool, ['stats']);
    const g = report.jobs.find((j) => j.job === good)!;
    const b = report.jobs.find((j) => j.job === bad)!;
    assert.equal([g.frames, g.chunksDone, g.attempts, g.failures, g.name], [40, 10, 10, 0, 'good_shot']);
    assert.ok(g.avgFrameMs! >= 25 && g.slowestFrameMs! >= g.avgFrameMs!, `avg ${g.avgFrameMs} slowest ${g.slowestFrameMs}`);
    assert.equal([b.frames, b.chunksDone, b.attempts, b.failures], [0, 0, 4, 4]);
    assert.equal(report.totals, { attempts: 14, chunksDone: 10, frames: 40, failures: 4, busyMs: report.totals.busyMs });
    const sum = (pick: (n: FarmReport['nodes'][number]) => number) => report.nodes.reduce((s, n) => s + pick(n), 0);
    assert.is(sum((n) => n.frames), 40);
    assert.is(sum((n) => n.chunksDone), 10);
    assert.is(sum((n) => n.failures), 4);
    assert.is(sum((n) => n.busyMs), g.renderMs + b.renderMs, 'node time adds up to job time');
    assert.is(report.throughput.reduce((s, t) => s + t.frames, 0), 40);
    assert.is(report.throughput.reduce((s, t) => s + t.failures, 0), 4);
    assert.ok(report.nodes.every((n) => n.utilisation > 0 && n.utilisation <= 1));
    assert.equal(report.malformed, {});

    // text, charts, --since
    const text = await runRender(['--spool', tmp.spool, 'stats', '--since', '1h', '--svg', 'out.svg', '--html', tmp.path('out.html')], { cwd: tmp.dir });
    assert.is(text.code, 0, text.stderr);
    assert.match(text.stdout, /^last 1h00m: .* 40 frames, 10 chunks, 4 failed attempt\(s\)/);
    assert.match(text.stdout, new RegExp(`\\n  ${good}  good_shot +40 +10 +0 `));
    assert.match(text.stdout, `wrote ${tmp.path('out.svg')}\nwrote ${tmp.path('out.html')}\n`);
    const svg = await fs.readFile(tmp.path('out.svg'), 'utf8');
    assert.equal(xmlProblems(svg), []);
    assert.ok(svg.includes('good_shot') && (svg.includes('>n1</text>') || svg.includes('>n2</text>')));
    assert.match(await fs.readFile(tmp.path('out.html'), 'utf8'), /<h2>Jobs<\/h2>/);
    const usage = await runRender(['--spool', tmp.spool, 'stats', '--since', 'soon']);
    assert.equal([usage.code, usage.stdout, usage.stderr], [2, '', "render: --since must be a duration like 90s, 5m or 1h30m, got 'soon'\n"]);
    const nowhere = await runRender(['--spool', tmp.spool, 'stats', '--svg', tmp.path('no', 'such', 'dir.svg')]);
    assert.is(nowhere.code, 2);
    assert.match(nowhere.stderr, /its folder does not exist/);

    // render list filters, on the same spool; the JSON shape is the unfiltered one
    const ids = async (...args: string[]) => (await renderJson<ShowJson[]>(tmp.spool, ['list', ...args])).map((j) => j.id);
    assert.equal(await ids(), [good, bad]);
    assert.equal(await ids('--state', 'done'), [good]);
    assert.equal(await ids('--state', 'failed,paused'), [bad]);
    assert.equal(await ids('--name', 'bad_*'), [bad]);
    assert.equal(await ids('--owner', 'nobody-at-all'), []);
    assert.equal(await ids('--since', '1h'), [good, bad]);
    const ran = new Set(report.nodes.filter((n) => n.attempts > 0).map((n) => n.node));
    for (const node of ['n1', 'n2']) {
      const expected = [good, bad].filter((job) => report.jobs.find((j) => j.job === job)!.nodes.includes(node));
      assert.equal(await ids('--node', node), ran.has(node) ? expected : [], node);
    }
    const full = await renderJson<ShowJson[]>(tmp.spool, ['list', '--state', 'done']);
    assert.equal(Object.keys(full[0]).sort(), Object.keys((await renderJson<ShowJson[]>(tmp.spool, ['list']))[0]).sort());
    const plain = await runRender(['--spool', tmp.spool, 'list', '--owner', 'nobody-at-all']);
    assert.equal([plain.code, plain.stdout], [0, 'no jobs\n']);
    const badState = await runRender(['--spool', tmp.spool, 'list', '--state', 'finished']);
    assert.equal([badState.code, badState.stdout], [2, '']);
    assert.match(badState.stderr, /^render: --state must be one or more of queued, running, paused, done, failed/);
  }));
});

test.run();
