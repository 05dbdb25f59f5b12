// The busy node (issue 26): what a node costs its filer while every slot runs a chunk. Chunks that sleep, so
// only renderd and its hook launcher are traced (`strace -f -p renderd -p launcher`; the renders started
// before the trace and start no process during it). With 100 other active jobs on the spool, as the issue
// measured. Counted: calls naming a path, getdents64 and fsync (SPOOL_FS_CALLS, as the idle figures); the
// farm also without those on /proc, /sys and /dev (its nodes share one kernel, so holders are judged by pid).
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { DEFAULT_CADENCE } from '../src/daemon/cadence.js';
import { SPOOL_FS_CALLS } from './idle.js';
import { pathPattern } from './profile-strace.js';
import {
  QUICK, chunkCounts, hasCommand, load1, makeTempDir, namesIn, removeDir, render, sleep, startNode, stopNode, submitExec, waitFor,
  type BenchResult, type NodeHandle, type Row,
} from './support.js';

const OTHER_JOBS = QUICK ? 10 : 100;
// 30 s: one full check of the claims (every 6th reconcile pass, own-claims.ts) falls in every window
const TRACE_SECONDS = QUICK ? 5 : 30;
const SLOT_COUNTS = [1, 4, 16];

export interface BusySample {
  perSec: number;
  /** Of those, calls on this machine's own /proc, /sys and /dev (pid checks of holders on this kernel): not the filer's. */
  localPerSec: number;
  /** "call path-pattern" → calls per second, biggest first. */
  top: [string, number][];
}

/** renderd's hook launcher (its child running launcher.pl), if it has one. */
export function launcherOf(pid: number): number | undefined {
  for (const task of namesIn(`/proc/${pid}/task`)) {
    let children: string[] = [];
    try { children = fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').trim().split(/\s+/).filter(Boolean); } catch { continue; }
    for (const child of children) {
      try {
        if (fs.readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('launcher.pl')) return Number(child);
      } catch { /* gone */ }
    }
  }
  return undefined;
}

/** A path with what differs from node to node named by its kind, so that a farm's callers add up across the nodes traced. */
export function farmPattern(pattern: string): string {
  return pattern
    .replace(/\/[^/~]+~[^/]+$/, '/CLAIM')
    .replace(/\/nodes\/\.leases\/[^/]+$/, '/nodes/.leases/LEASE')
    .replace(/\/nodes\/\.(names|holding)\/[^/]+$/, '/nodes/.$1/ENTRY')
    .replace(/\/nodes\/(?!\.)[^/]+\.json$/, '/nodes/NODE.json')
    .replace(/^\/proc\/\d+\//, '/proc/PID/');
}

/** Traces renderd `pid` (its threads) and its launcher for `seconds`; spool fs calls per second, by path. */
export async function traceBusy(pid: number, seconds: number, outFile: string, spool: string): Promise<BusySample> {
  const launcher = launcherOf(pid);
  // -y: an fd's path is printed beside it, so fstat and read of /proc/PID/stat are told from the spool's
  const args = ['-f', '-qq', '-y', '-o', outFile, '-p', String(pid), ...(launcher ? ['-p', String(launcher)] : [])];
  const strace = spawn('strace', args, { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => strace.on('exit', () => resolve()));
  await sleep(seconds * 1000);
  strace.kill('SIGINT');
  await exited;
  const byPath = new Map<string, number>();
  let calls = 0;
  let local = 0;
  for (const line of fs.readFileSync(outFile, 'utf8').split('\n')) {
    const start = /^\d+\s+([a-z0-9_]+)\((?:-?\d+<([^>]*)>)?/.exec(line);
    if (!start || !SPOOL_FS_CALLS.has(start[1])) continue;
    calls++;
    const quoted = /"([^"]*)"/.exec(line);
    const named = quoted?.[1] || start[2];
    if (named && /^\/(proc|sys|dev)\//.test(named)) local++;
    const key = `${start[1]} ${named ? farmPattern(pathPattern(named, spool)) : '(fd)'}`;
    byPath.set(key, (byPath.get(key) ?? 0) + 1);
  }
  fs.rmSync(outFile, { force: true });
  const top = [...byPath].sort((a, b) => b[1] - a[1]).slice(0, 14).map(([k, n]) => [k, n / seconds] as [string, number]);
  return { perSec: calls / seconds, localPerSec: local / seconds, top };
}

/** A node with `slots` slots, each running a sleeping chunk, beside OTHER_JOBS active jobs of another pool. */
async function busyNode(slots: number, dir: string): Promise<BusySample> {
  const spool = path.join(dir, `spool-${slots}`);
  for (let i = 0; i < OTHER_JOBS; i++) await submitExec(spool, ['--frames', '1', '--pool', 'elsewhere', '--name', `other-${i}`], ['true']);
  const job = await submitExec(spool, ['--frames', `1-${slots}`, '--chunk', '1', '--name', 'sleepers'], ['sleep', '600']);
  const node = startNode(spool, `busy${slots}`, ['--slots', String(slots)], dir);
  try {
    await waitFor(`${slots} chunks running`, () => (chunkCounts(path.join(spool, 'jobs', job.id)).running >= slots ? true : undefined), 60_000, 100);
    await sleep(4000); // past the first beats, sweeps and the claims' settling
    return await traceBusy(node.child.pid!, TRACE_SECONDS, path.join(dir, `busy${slots}.strace`), spool);
  } finally {
    await stopNode(node, 15_000);
  }
}

const shown = (s: BusySample) => s.top.map(([k, n]) => `${k} ${n.toFixed(1)}`).join(', ');

export async function benchBusy(): Promise<BenchResult> {
  if (!hasCommand('strace')) throw new Error('strace is not installed');
  const dir = await makeTempDir('busy');
  const rows: Row[] = [];
  const details: string[] = [`Each node: \`renderd --slots N\` on a spool of ${OTHER_JOBS} active one-chunk jobs of another pool and one job of N chunks of \`sleep 600\`; once all N run, \`strace -f -p renderd -p launcher\` for ${TRACE_SECONDS} s (load before: ${load1()}).`];
  try {
    await render(path.join(dir, 'warmup'), ['list']);
    for (const slots of SLOT_COUNTS) {
      const sample = await busyNode(slots, dir);
      const goal = slots === 4 ? 10 : slots === 16 ? 12 : undefined;
      rows.push({ bench: 'busy', metric: `busy node, ${slots} slot${slots > 1 ? 's' : ''} running, ${OTHER_JOBS} other active jobs: spool fs calls/s`, value: sample.perSec.toFixed(1), goal: goal ? `≤ ${goal}` : undefined, pass: goal ? sample.perSec <= goal : undefined });
      details.push(`- ${slots} slot(s): ${sample.perSec.toFixed(1)} calls/s; biggest: ${shown(sample)}`);
    }
  } finally {
    await removeDir(dir);
  }
  return { rows, details };
}

/** The whole farm busy: `nodes` renderd with 1 slot each, each running a sleeping chunk; a few traced, × nodes. */
export async function measureBusyFarm(nodes: NodeHandle[], spool: string, dir: string, sampled = 3, seconds = TRACE_SECONDS): Promise<BusySample> {
  const samples = await Promise.all(nodes.slice(0, sampled).map((n, i) => traceBusy(n.child.pid!, seconds, path.join(dir, `farm-${i}.strace`), spool)));
  const merged = new Map<string, number>();
  for (const s of samples) for (const [k, n] of s.top) merged.set(k, (merged.get(k) ?? 0) + n / samples.length);
  const mean = (of: (s: BusySample) => number) => samples.reduce((sum, s) => sum + of(s), 0) / samples.length;
  return { perSec: mean((s) => s.perSec), localPerSec: mean((s) => s.localPerSec), top: [...merged].sort((a, b) => b[1] - a[1]).slice(0, 14) };
}

const FARM_NODES = Number(process.env.BUSY_FARM_NODES ?? (QUICK ? 20 : 200));
/**
 * The farm is traced over one whole period of its nodes' refresh (every record read: max(60 s, 1 s per node),
 * cadence.ts): a shorter window falls before or across a refresh by chance, and its figure with it.
 */
const FARM_TRACE_SECONDS = QUICK ? TRACE_SECONDS : Math.max(DEFAULT_CADENCE.nodesRefreshMs, FARM_NODES * DEFAULT_CADENCE.nodesRefreshPerNodeMs) / 1000;
const CLAIM_CHUNKS = QUICK ? 1000 : 10_000;
/** Each claims phase is cut here and its rate taken over what was done: the section must stop by itself. */
const CLAIMS_CAP_MS = QUICK ? 30_000 : 120_000;
/** BUSY_FARM_CLAIMS=0: the farm's calls/s alone, without the two claims phases (about half the section's time). */
const CLAIMS = process.env.BUSY_FARM_CLAIMS !== '0';

const registered = (spool: string) => namesIn(path.join(spool, 'nodes')).filter((n) => n.endsWith('.json') && !n.startsWith('.')).length;

/** `nodes` idle nodes already up on `spool`: one job of CLAIM_CHUNKS chunks of `true`, claims/s until done or the cap. */
async function claimRate(spool: string): Promise<{ perSec: number; done: number; ms: number; cut: boolean; removed?: string }> {
  const job = await submitExec(spool, ['--frames', `1-${CLAIM_CHUNKS}`, '--chunk', '1', '--name', 'claims'], ['true']);
  const jobDir = path.join(spool, 'jobs', job.id);
  const t0 = performance.now();
  const finished = await waitFor('the claims job', () => (chunkCounts(jobDir).done >= CLAIM_CHUNKS ? true : undefined), CLAIMS_CAP_MS, 500).catch(() => false);
  const ms = performance.now() - t0;
  const done = chunkCounts(jobDir).done;
  // the figure is taken: a removal that fails (a loaded farm still writing into the job) is said, not fatal
  const removed = await render(spool, ['remove', job.id]).then(() => undefined, (error: Error) => error.message);
  return { perSec: (done / ms) * 1000, done, ms, cut: finished !== true, removed };
}

/** 8 idle nodes on a spool of their own: claims/s on one job. */
async function claimsOnEight(dir: string): Promise<Awaited<ReturnType<typeof claimRate>>> {
  const small = path.join(dir, 'spool8');
  await render(small, ['nodes']);
  const nodes = await startFarm(small, 8, 'e', dir);
  try {
    await sleep(3000);
    return await claimRate(small);
  } finally {
    await Promise.all(nodes.map((n) => stopNode(n, 15_000)));
  }
}

async function startFarm(spool: string, count: number, prefix: string, dir: string): Promise<NodeHandle[]> {
  const nodes: NodeHandle[] = [];
  for (let i = 0; i < count; i++) nodes.push(startNode(spool, `${prefix}${String(i + 1).padStart(3, '0')}`, [], dir));
  await waitFor(`${count} nodes to register`, () => (registered(spool) >= count ? true : undefined), 600_000, 500);
  return nodes;
}

/**
 * The busy farm (issue 26): FARM_NODES renderd (1 slot each) on one spool, each running a sleeping chunk;
 * 3 of them traced, × FARM_NODES. Then claims/s on one job of CLAIM_CHUNKS chunks, with 8 nodes and with
 * FARM_NODES (each phase cut at CLAIMS_CAP_MS).
 */
export async function benchBusyFarm(): Promise<BenchResult> {
  if (!hasCommand('strace')) throw new Error('strace is not installed');
  const dir = await makeTempDir('busyfarm');
  const rows: Row[] = [];
  const details: string[] = [];
  const loadBefore = load1();
  let nodes: NodeHandle[] = [];
  try {
    // claims/s with 8 nodes
    const eight = CLAIMS ? await claimsOnEight(dir) : undefined;
    if (eight) rows.push({ bench: 'busy', metric: `8 nodes, 1 job of ${CLAIM_CHUNKS} chunks of true: claims/s`, value: `${eight.perSec.toFixed(0)}/s (${eight.done} in ${(eight.ms / 1000).toFixed(0)} s${eight.cut ? ', cut at the cap' : ''})` });

    const spool = path.join(dir, 'spool');
    await render(spool, ['nodes']);
    const t0 = performance.now();
    nodes = await startFarm(spool, FARM_NODES, 'b', dir);
    const upMs = performance.now() - t0;
    await sleep(8000);
    const sleepers = await submitExec(spool, ['--frames', `1-${FARM_NODES}`, '--chunk', '1', '--name', 'sleepers'], ['sleep', '900']);
    const sleepDir = path.join(spool, 'jobs', sleepers.id);
    await waitFor('every node to run a chunk', () => (chunkCounts(sleepDir).running >= FARM_NODES ? true : undefined), 300_000, 500).catch(() => undefined);
    const running = chunkCounts(sleepDir).running;
    await sleep(5000);
    const busy = await measureBusyFarm(nodes, spool, dir, 3, FARM_TRACE_SECONDS);
    const farm = busy.perSec * FARM_NODES;
    const filer = (busy.perSec - busy.localPerSec) * FARM_NODES;
    rows.push({ bench: 'busy', metric: `${FARM_NODES} nodes, every one running a chunk: fs calls/s for the farm, all (3 traced × ${FARM_NODES})`, value: `${farm.toFixed(0)} (${busy.perSec.toFixed(1)} per node; ${running} chunks running)` });
    rows.push({ bench: 'busy', metric: `${FARM_NODES} nodes, every one running a chunk: spool fs calls/s for the farm (less /proc, /sys, /dev: pid checks on this one kernel)`, value: `${filer.toFixed(0)} (${(busy.perSec - busy.localPerSec).toFixed(1)} per node)`, goal: '≤ 2,000', pass: filer <= 2000 });
    details.push(`- ${FARM_NODES}-node farm: registered in ${(upMs / 1000).toFixed(0)} s; one job of ${FARM_NODES} chunks of \`sleep 900\`, ${running} running when traced; 3 nodes traced ${FARM_TRACE_SECONDS} s (a refresh period): ${busy.perSec.toFixed(1)} calls/s each, ${busy.localPerSec.toFixed(1)} of them on /proc, /sys or /dev; biggest: ${shown(busy)}`);
    // said at once: a later phase that fails must not take this figure with it
    console.log(`busyfarm: ${farm.toFixed(0)} calls/s, ${filer.toFixed(0)} on the spool\n${details.at(-1)}`);
    if (!eight) {
      details.push(`- claims phases skipped (BUSY_FARM_CLAIMS=0); 1-min load average before: ${loadBefore}, after: ${load1()}`);
      return { rows, details };
    }
    await render(spool, ['remove', sleepers.id]);
    await sleep(5000);
    const many = await claimRate(spool);
    rows.push({ bench: 'busy', metric: `${FARM_NODES} nodes, 1 job of ${CLAIM_CHUNKS} chunks of true: claims/s`, value: `${many.perSec.toFixed(0)}/s (${many.done} in ${(many.ms / 1000).toFixed(0)} s${many.cut ? ', cut at the cap' : ''})` });
    details.push(`- claims: one job of ${CLAIM_CHUNKS} one-frame chunks of \`true\` submitted to nodes already up and idle; the rate is chunks done over the time until all were done or the ${CLAIMS_CAP_MS / 1000} s cap. 8 nodes: ${eight.done} done in ${(eight.ms / 1000).toFixed(1)} s; ${FARM_NODES} nodes: ${many.done} in ${(many.ms / 1000).toFixed(1)} s.`);
    for (const [phase, rate] of [['8 nodes', eight], [`${FARM_NODES} nodes`, many]] as const) if (rate.removed) details.push(`- ${phase}: the claims job's removal failed (${rate.removed})`);
    details.push(`- 1-min load average before: ${loadBefore}, after: ${load1()}`);
  } finally {
    await Promise.all(nodes.map((n) => stopNode(n, 15_000)));
    await removeDir(dir);
  }
  return { rows, details };
}
