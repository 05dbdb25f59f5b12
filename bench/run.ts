// `npm run bench`: runs every benchmark, prints one table and writes bench/RESULTS.md (machine, versions,
// date, medians, ratios, the goal beside each figure). BENCH_QUICK=1: a smoke run with small sizes.
// BENCH_ONLY=throughput,latency: a subset (written to the temp folder, not to RESULTS.md).
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { pathToFileURL } from 'node:url';
import { QUICK, REPO_ROOT, firstLine, load1, spreadFolder, type BenchResult, type Row } from './support.js';
import { benchThroughput } from './throughput.js';
import { benchContention } from './contention.js';
import { benchLatency } from './latency.js';
import { benchScale } from './scale.js';
import { benchProfile } from './profile.js';
import { benchHostile } from './hostile.js';
import { benchStudio } from './studio.js';
import { benchWarm } from './warm.js';
import { benchWeb } from './web.js';
import { benchTiles } from './tiles.js';
import { benchBusy, benchBusyFarm } from './busy.js';

interface Bench {
  name: string;
  title: string;
  run: () => Promise<BenchResult>;
}

const BENCHES: Bench[] = [
  { name: 'throughput', title: 'Throughput against GNU parallel and xargs', run: benchThroughput },
  { name: 'contention', title: 'Claim contention, 8 nodes', run: benchContention },
  { name: 'latency', title: 'Submit-to-start latency', run: benchLatency },
  { name: 'scale', title: 'Scale, idle cost and memory (one big spool)', run: benchScale },
  { name: 'extras', title: 'Other engineers\' benchmarks in bench/', run: benchExtras },
  { name: 'profile', title: 'Profile: where a chunk\'s time goes', run: benchProfile },
  { name: 'hostile', title: 'Hostile input: .blend decompression bombs', run: benchHostile },
  { name: 'busy', title: 'The busy node: filer calls while every slot runs (issue 26)', run: benchBusy },
  { name: 'busyfarm', title: 'The busy farm: 200 nodes each running a chunk, and claims/s at 8 and 200 nodes (issue 26)', run: benchBusyFarm },
  { name: 'studio', title: 'The studio: a farm\'s worth of nodes on one spool (issue 17)', run: benchStudio },
  { name: 'warm', title: 'A warm Blender per slot: farm efficiency against blender -a (issue 17)', run: benchWarm },
  { name: 'tiles', title: 'A tiled still: 4x4 tiles on 2 slots against one whole-frame render (issue 29)', run: benchTiles },
  { name: 'web', title: 'The farm in a browser: page data, event latency, filer cost of open pages (issue 27)', run: benchWeb },
];

/** Goals the other benchmark files state in their headers, by file. */
const EXTRA_GOALS_MS: Record<string, number> = { 'tui-model.js': 50, 'wake.js': 100 };

/** bench/wake.ts and bench/tui-model.ts, when present: their exported `measure…` functions that take no argument. */
async function benchExtras(): Promise<BenchResult> {
  const rows: Row[] = [];
  const details: string[] = [];
  const here = path.join(REPO_ROOT, 'dist', 'bench');
  for (const file of ['tui-model.js', 'wake.js']) {
    if (!fs.existsSync(path.join(here, file))) continue;
    const label = file.replace(/\.js$/, '');
    let mod: Record<string, unknown>;
    try {
      mod = (await import(pathToFileURL(path.join(here, file)).href)) as Record<string, unknown>;
    } catch (error) {
      rows.push({ bench: 'extras', metric: `${label}: import`, value: 'FAILED', note: (error as Error).message.split('\n')[0] });
      continue;
    }
    for (const [name, fn] of Object.entries(mod)) {
      if (!name.startsWith('measure') || typeof fn !== 'function' || fn.length !== 0) continue;
      const goalMs = EXTRA_GOALS_MS[file];
      try {
        const value = await (fn as () => unknown)();
        const shown = typeof value === 'number' ? (Number.isFinite(value) ? `${value.toFixed(2)} ms` : 'n/a (not possible here)') : JSON.stringify(value).slice(0, 120);
        const pass = goalMs !== undefined && typeof value === 'number' && Number.isFinite(value) ? value < goalMs : undefined;
        rows.push({ bench: 'extras', metric: `${label}: ${name}()`, value: shown, goal: goalMs === undefined ? undefined : `< ${goalMs} ms`, pass });
        details.push(`- bench/${label}.ts ${name}(): ${shown} (its own method and goal; see the file)`);
      } catch (error) {
        const message = (error as Error).message.split('\n')[0];
        rows.push({ bench: 'extras', metric: `${label}: ${name}()`, value: 'FAILED', goal: goalMs === undefined ? undefined : `< ${goalMs} ms`, pass: false, note: message.slice(0, 120) });
        details.push(`- bench/${label}.ts ${name}() failed: ${message}`);
      }
    }
  }
  if (rows.length === 0) details.push('- none present');
  return { rows, details };
}

function gitState(): string {
  const head = spawnSync('git', ['-C', REPO_ROOT, 'rev-parse', '--short', 'HEAD'], { encoding: 'utf8' }).stdout.trim();
  const dirty = spawnSync('git', ['-C', REPO_ROOT, 'status', '--porcelain', '--', 'src'], { encoding: 'utf8' }).stdout.trim();
  return `${head || 'unknown'}${dirty ? ` + uncommitted changes in src/ (${dirty.split('\n').length} files) — the build measured is the work tree's` : ''}`;
}

function diskOf(dir: string): string {
  const df = spawnSync('df', ['-T', dir], { encoding: 'utf8' }).stdout.trim().split('\n')[1]?.split(/\s+/) ?? [];
  const [device, type] = df;
  const base = device ? path.basename(device).replace(/p?\d+$/, '') : '';
  let rotational = '';
  try { rotational = fs.readFileSync(`/sys/block/${base}/queue/rotational`, 'utf8').trim(); } catch { /* not a block device */ }
  const kind = base.startsWith('vd') ? 'virtio block device (VM)' : rotational === '0' ? 'SSD' : rotational === '1' ? 'rotational' : 'unknown';
  return `${type ?? '?'} on ${device ?? '?'} (${kind}${rotational ? `, rotational=${rotational}` : ''})`;
}

function machine(): string[] {
  const cpus = os.cpus();
  return [
    `- date: ${new Date().toISOString()}; mode: ${QUICK ? 'BENCH_QUICK=1 (smoke sizes)' : 'full'}`,
    `- machine: ${cpus.length} × ${cpus[0]?.model ?? 'cpu'}, ${(os.totalmem() / 1024 ** 3).toFixed(1)} GiB memory, kernel ${os.release()}`,
    `- spool disk: ${diskOf(os.tmpdir())} (spools are made in ${spreadFolder().dir}, ${spreadFolder().spread ? 'chattr +T: one block group per spool' : 'not spread over block groups (chattr +T refused)'})`,
    `- node ${process.version}; ${firstLine('blender', ['--version'])}; ${firstLine('parallel', ['--version'])}; ${firstLine('xargs', ['--version'])}; ${firstLine('strace', ['-V'])}`,
    `- renderd: git ${gitState()}`,
  ];
}

function table(rows: Row[]): string[] {
  const lines = ['| bench | measure | today | goal | |', '|---|---|---|---|---|'];
  for (const r of rows) {
    const status = r.pass === undefined ? '' : r.pass ? 'met' : '**not met**';
    lines.push(`| ${r.bench} | ${r.metric} | ${r.value}${r.note ? ` — ${r.note}` : ''} | ${r.goal ?? ''} | ${status} |`);
  }
  return lines;
}

function printRows(rows: Row[]): void {
  const cells = rows.map((r) => [r.bench, r.metric, r.value, r.goal ?? '', r.pass === undefined ? '' : r.pass ? 'ok' : 'MISS']);
  const widths = [0, 1, 2, 3, 4].map((i) => Math.min(70, Math.max(...cells.map((c) => c[i].length), 4)));
  for (const c of cells) process.stdout.write(c.map((v, i) => v.padEnd(widths[i])).join('  ').trimEnd() + '\n');
}

async function main(): Promise<void> {
  const only = process.env.BENCH_ONLY?.split(',').map((s) => s.trim()).filter(Boolean);
  const chosen = only ? BENCHES.filter((b) => only.includes(b.name)) : BENCHES;
  const header = machine();
  process.stdout.write(header.join('\n') + '\n');
  const rows: Row[] = [];
  const sections: string[] = [];
  const started = performance.now();
  for (const bench of chosen) {
    const t0 = performance.now();
    process.stdout.write(`\n== ${bench.name} (load ${load1()}) …\n`);
    let result: BenchResult;
    try {
      result = await bench.run();
    } catch (error) {
      result = { rows: [{ bench: bench.name, metric: 'run', value: 'FAILED', pass: false, note: (error as Error).message.split('\n')[0] }], details: [`Failed: ${(error as Error).stack}`] };
    }
    const took = (performance.now() - t0) / 1000;
    printRows(result.rows);
    rows.push(...result.rows);
    sections.push(`## ${bench.title}`, '', ...result.details, '', `(${took.toFixed(0)} s, load after: ${load1()})`, '');
  }
  const total = (performance.now() - started) / 1000;
  const doc = [
    '# renderd benchmarks — results',
    '',
    'Written by `npm run bench` (bench/run.ts); every figure is from the run below. Times are medians of the',
    'repetitions listed in each section; ratios are taken against baselines run side by side in the same run.',
    'The machine is shared: the 1-minute load average is noted around each section.',
    '',
    ...header,
    `- whole run: ${total.toFixed(0)} s`,
    '',
    ...table(rows),
    '',
    ...sections,
  ].join('\n');
  const full = !only && !QUICK;
  const out = full || process.env.BENCH_WRITE === '1' ? path.join(REPO_ROOT, 'bench', 'RESULTS.md') : path.join(os.tmpdir(), 'renderd-bench-RESULTS.md');
  fs.writeFileSync(out, doc + '\n');
  process.stdout.write(`\nwhole run ${total.toFixed(0)} s; results written to ${out}\n`);
}

main().catch((error) => {
  process.stderr.write(`bench: ${(error as Error).stack ?? error}\n`);
  process.exitCode = 1;
});
