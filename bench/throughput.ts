// Throughput: N one-frame chunks of `true` on 2 nodes (fresh spool each run) against GNU parallel and
// xargs doing the same N `true`s two at a time, alternated in one run so they share the machine's mood.
// Goal: farm at least as fast as GNU parallel (parallel_time / farm_time ≥ 1.0).
import fs from 'node:fs';
import path from 'node:path';
import { execFileSync } from 'node:child_process';
import {
  QUICK, chunkCounts, hasCommand, list, load1, makeTempDir, median, onlyJobDir, removeDir, rotate, runShellWithCpu,
  secs, startNode, submitExec, watchCpu, type BenchResult, type Row,
} from './support.js';

const CHUNKS = QUICK ? 200 : 1000;
const REPS = QUICK ? 1 : 3;

type Contender = 'farm' | 'farm-slots2' | 'farm-tmpfs' | 'parallel' | 'xargs';

/** A memory-backed folder, to show how much of the farm's time is the spool disk's (not a goal row). */
const TMPFS = ['/dev/shm'].find((dir) => { try { return fs.statfsSync(dir).type === 0x01021994; } catch { return false; } });

interface FarmRun {
  submitMs: number;
  runMs: number;
  /** CPU of both renderd processes themselves, and of the hook processes they waited for. */
  daemonCpuMs: number;
  hooksCpuMs: number;
}

/**
 * Spools of finished runs, removed after the last run. On ext4 without a journal (this machine's disk)
 * a file created in a block group skips every inode freed there in the last minutes (recently_deleted(),
 * 60 s, 360 s while the block is dirty): removing a run's spool right away would slow the next run's
 * creates. Each run's spool is also made in a block group of its own (makeTempDir), away from what the
 * tests and other benches freed. The farm still pays for what it frees during its own run.
 */
const finishedSpools: string[] = [];

/** Submits CHUNKS chunks of `true`, then times 2 nodes from their start until both exit idle. */
async function runFarm(slots: number, base?: string): Promise<FarmRun> {
  const dir = await makeTempDir('throughput', base);
  try {
    const spool = path.join(dir, 'spool');
    const { ms: submitMs } = await submitExec(spool, ['--frames', `1-${CHUNKS}`, '--chunk', '1', '--name', 'throughput'], ['true']);
    const start = performance.now();
    const nodes = ['t1', 't2'].map((name) => startNode(spool, name, ['--exit-when-idle', '--slots', String(slots)], dir));
    const watches = nodes.map((n) => watchCpu(n.child.pid!));
    const exits = await Promise.all(nodes.map((n) => n.exited));
    const runMs = performance.now() - start;
    for (const w of watches) w.stop();
    const daemonCpuMs = watches.reduce((sum, w) => sum + w.last().selfMs, 0);
    const hooksCpuMs = watches.reduce((sum, w) => sum + w.last().childrenMs, 0);
    const bad = exits.find((e) => e.code !== 0);
    if (bad) throw new Error(`a node exited ${bad.code ?? bad.signal}; logs in ${dir}`);
    const counts = chunkCounts(onlyJobDir(spool));
    if (counts.done !== CHUNKS) throw new Error(`only ${counts.done} of ${CHUNKS} chunks done: ${JSON.stringify(counts)}`);
    finishedSpools.push(dir);
    return { submitMs, runMs, daemonCpuMs, hooksCpuMs };
  } catch (error) {
    throw new Error(`farm run failed (kept ${dir}): ${(error as Error).message}`);
  }
}


export async function benchThroughput(): Promise<BenchResult> {
  const haveParallel = hasCommand('parallel');
  const contenders: Contender[] = (['farm', 'parallel', 'xargs', 'farm-slots2', 'farm-tmpfs'] as Contender[])
    .filter((c) => (c !== 'parallel' || haveParallel) && (c !== 'farm-tmpfs' || TMPFS));
  const times: Record<Contender, number[]> = { farm: [], 'farm-slots2': [], 'farm-tmpfs': [], parallel: [], xargs: [] };
  const submits: number[] = [];
  const ratios: number[] = [];
  const ratios2: number[] = [];
  const ratiosTmpfs: number[] = [];
  const loads: string[] = [];
  const cpu: Record<Contender, number[]> = { farm: [], 'farm-slots2': [], 'farm-tmpfs': [], parallel: [], xargs: [] };
  const farmSplit: { daemon: number[]; hooks: number[] } = { daemon: [], hooks: [] };
  for (let rep = 0; rep < REPS; rep++) {
    loads.push(load1());
    const thisRep: Partial<Record<Contender, number>> = {};
    for (const contender of rotate(contenders, rep)) {
      // every contender starts with the dirty pages of the one before written out
      execFileSync('sync');
      let elapsed: number;
      if (contender === 'parallel' || contender === 'xargs') {
        const run = await runShellWithCpu(contender === 'parallel' ? `seq ${CHUNKS} | parallel -j2 true` : `seq ${CHUNKS} | xargs -P2 -n1 true`);
        elapsed = run.ms;
        cpu[contender].push(run.cpuMs / CHUNKS);
      } else {
        const run = await runFarm(contender === 'farm-slots2' ? 2 : 1, contender === 'farm-tmpfs' ? TMPFS : undefined);
        if (contender === 'farm') {
          submits.push(run.submitMs);
          farmSplit.daemon.push(run.daemonCpuMs / CHUNKS);
          farmSplit.hooks.push(run.hooksCpuMs / CHUNKS);
        }
        elapsed = run.runMs;
        cpu[contender].push((run.daemonCpuMs + run.hooksCpuMs) / CHUNKS);
      }
      times[contender].push(elapsed);
      thisRep[contender] = elapsed;
    }
    if (thisRep.parallel !== undefined) {
      ratios.push(thisRep.parallel / thisRep.farm!);
      ratios2.push(thisRep.parallel / thisRep['farm-slots2']!);
      if (thisRep['farm-tmpfs'] !== undefined) ratiosTmpfs.push(thisRep.parallel / thisRep['farm-tmpfs']);
    }
  }
  for (const dir of finishedSpools.splice(0)) await removeDir(dir);
  const m = (c: Contender) => median(times[c]);
  const perChunk = (c: Contender) => (m(c) / CHUNKS) * 2; // two slots (or two processes) at a time
  const rows: Row[] = [
    { bench: 'throughput', metric: `farm, ${CHUNKS} chunks of true, 2 nodes × 1 slot`, value: `${secs(m('farm'))} (${perChunk('farm').toFixed(1)} ms/chunk/slot)` },
    { bench: 'throughput', metric: `farm, 2 nodes × --slots 2`, value: `${secs(m('farm-slots2'))}` },
    { bench: 'throughput', metric: `seq ${CHUNKS} | parallel -j2 true`, value: haveParallel ? `${secs(m('parallel'))} (${perChunk('parallel').toFixed(1)} ms/job/slot)` : 'parallel not installed' },
    { bench: 'throughput', metric: `seq ${CHUNKS} | xargs -P2 -n1 true`, value: `${secs(m('xargs'))} (${perChunk('xargs').toFixed(1)} ms/job/slot)` },
  ];
  if (haveParallel) {
    const ratio = median(ratios);
    rows.push({ bench: 'throughput', metric: 'parallel_time / farm_time (1 slot)', value: ratio.toFixed(2), goal: '≥ 1.0', pass: ratio >= 1 });
    const ratio2 = median(ratios2);
    rows.push({ bench: 'throughput', metric: 'parallel_time / farm_time (--slots 2)', value: ratio2.toFixed(2), goal: '≥ 1.0', pass: ratio2 >= 1 });
    if (ratiosTmpfs.length) rows.push({ bench: 'throughput', metric: `parallel_time / farm_time, spool on tmpfs (${TMPFS}; 1 slot)`, value: median(ratiosTmpfs).toFixed(2), note: 'not the goal: the spool disk\'s share of the farm time' });
  }
  rows.push({ bench: 'throughput', metric: 'CPU per chunk: farm (renderd + hook processes) / parallel / xargs', value: `${median(cpu.farm).toFixed(1)} (${median(farmSplit.daemon).toFixed(1)} + ${median(farmSplit.hooks).toFixed(1)}) / ${median(cpu.parallel).toFixed(1)} / ${median(cpu.xargs).toFixed(1)} ms`, note: 'on 2 cores the run is CPU-bound: these ratios predict the time ratios' });
  rows.push({ bench: 'throughput', metric: `render exec of ${CHUNKS} chunks (not in farm time)`, value: secs(median(submits)) });
  const details = [
    `${REPS} repetition(s), contenders rotated each repetition (order ${contenders.join(' → ')} shifted by one), fresh spool per farm run (removed after the last run), \`sync\` before each contender;`,
    `farm time = from spawning both \`renderd --exit-when-idle\` to both exiting (nodes' start-up and exit included, submission not).`,
    ...contenders.map((c) => `- ${c}: ${list(times[c])} ms (median ${m(c).toFixed(0)})`),
    `- per-repetition ratios parallel/farm: ${list(ratios, 2)}; parallel/farm-slots2: ${list(ratios2, 2)}; parallel/farm-tmpfs: ${list(ratiosTmpfs, 2)}`,
    `- CPU ms per chunk (user+sys): farm ${list(cpu.farm, 1)} (renderd ${list(farmSplit.daemon, 1)}, hooks ${list(farmSplit.hooks, 1)}); farm --slots 2 ${list(cpu['farm-slots2'], 1)}; farm on tmpfs ${list(cpu['farm-tmpfs'], 1)}; parallel ${list(cpu.parallel, 1)}; xargs ${list(cpu.xargs, 1)}`,
    `- render exec of ${CHUNKS} chunks: ${list(submits)} ms; 1-min load average at each repetition: ${loads.join(', ')}`,
  ];
  return { rows, details };
}
