// What every benchmark shares: the real binaries, child processes timed from outside, temp spools,
// medians, and the row type the table printer and RESULTS.md writer read.
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** dist/bench/support.js → the repository root. */
export const REPO_ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const RENDER_BIN = path.join(REPO_ROOT, 'bin', 'render');
export const RENDERD_BIN = path.join(REPO_ROOT, 'bin', 'renderd');
export const DIST_SRC = path.join(REPO_ROOT, 'dist', 'src');

/** BENCH_QUICK=1: a smoke run with small sizes and single repetitions. */
export const QUICK = process.env.BENCH_QUICK === '1';

/** One figure of the results table. `goal` is the text shown beside it; `pass` is undefined when there is no goal. */
export interface Row {
  bench: string;
  metric: string;
  value: string;
  goal?: string;
  pass?: boolean;
  note?: string;
}

/** What a benchmark hands back: its table rows and free text (method, raw figures) for RESULTS.md. */
export interface BenchResult {
  rows: Row[];
  details: string[];
}

export function median(values: number[]): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  const mid = Math.floor(sorted.length / 2);
  return sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2;
}

export function percentile(values: number[], p: number): number {
  if (values.length === 0) return NaN;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.min(sorted.length - 1, Math.max(0, Math.ceil((p / 100) * sorted.length) - 1))];
}

export const ms = (value: number, digits = 0) => `${value.toFixed(digits)} ms`;
export const secs = (valueMs: number, digits = 2) => `${(valueMs / 1000).toFixed(digits)} s`;
export const list = (values: number[], digits = 0) => values.map((v) => v.toFixed(digits)).join(', ');

/** Wall-clock time since the epoch in ms with sub-ms precision, comparable with `date +%s%N` / 1e6. */
export function epochMs(): number {
  return performance.timeOrigin + performance.now();
}

export const sleep = (delayMs: number) => new Promise<void>((resolve) => setTimeout(resolve, delayMs));

export interface Timed {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  ms: number;
}

/** Runs a program to its end and times it from spawn to exit, as a user's shell would see it. */
export function runTimed(file: string, args: string[], options: { env?: NodeJS.ProcessEnv; cwd?: string; timeoutMs?: number } = {}): Promise<Timed> {
  return new Promise((resolve, reject) => {
    const start = performance.now();
    const child = spawn(file, args, { env: options.env ?? process.env, cwd: options.cwd, stdio: ['ignore', 'pipe', 'pipe'] });
    const out: Buffer[] = [];
    const err: Buffer[] = [];
    child.stdout.on('data', (b: Buffer) => out.push(b));
    child.stderr.on('data', (b: Buffer) => err.push(b));
    const timer = options.timeoutMs ? setTimeout(() => child.kill('SIGKILL'), options.timeoutMs) : undefined;
    child.on('error', reject);
    child.on('close', (code, signal) => {
      if (timer) clearTimeout(timer);
      resolve({ code, signal, stdout: Buffer.concat(out).toString(), stderr: Buffer.concat(err).toString(), ms: performance.now() - start });
    });
  });
}

/** `render ARGS...` on `spool`, timed; throws with its stderr when it fails. */
export async function render(spool: string, args: string[], timeoutMs = 120_000): Promise<Timed> {
  const result = await runTimed(process.execPath, [RENDER_BIN, '--spool', spool, ...args], { timeoutMs });
  if (result.code !== 0) throw new Error(`render ${args.join(' ')} exited ${result.code ?? result.signal}: ${result.stderr.trim()}`);
  return result;
}

/** `render exec --json ... -- CMD...`: submits a generic job, returns its id and the submission time. */
export async function submitExec(spool: string, flags: string[], command: string[]): Promise<{ id: string; ms: number }> {
  const result = await render(spool, ['exec', ...flags, '--json', '--', ...command]);
  return { id: (JSON.parse(result.stdout) as { id: string }).id, ms: result.ms };
}

/** Flags every bench node gets: peer sockets on loopback only, never another address. */
export const NODE_NET_FLAGS = ['--listen', '127.0.0.1:0', '--advertise', '127.0.0.1'];

export interface NodeHandle {
  name: string;
  child: ChildProcess;
  logFile: string;
  /** Resolves at exit with the time since spawn. */
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>;
}

/** Starts `renderd --node NAME` on `spool`; its stderr goes to `logDir/NAME.log`. */
/** `renderd`: another build of it (bench/warm.ts runs a globally installed package beside the checkout). */
export function startNode(spool: string, name: string, flags: string[], logDir: string, nodeArgs: string[] = [], renderd = RENDERD_BIN): NodeHandle {
  const logFile = path.join(logDir, `${name}.log`);
  const log = fs.openSync(logFile, 'a');
  const start = performance.now();
  const child = spawn(process.execPath, [...nodeArgs, renderd, '--spool', spool, '--node', name, ...NODE_NET_FLAGS, ...flags], { stdio: ['ignore', 'ignore', log] });
  fs.closeSync(log);
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null; ms: number }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal, ms: performance.now() - start })));
  return { name, child, logFile, exited };
}

/** Stops a node started here (SIGTERM twice: finish nothing, give back, deregister), SIGKILL if it lingers. */
export async function stopNode(node: NodeHandle, graceMs = 5000): Promise<void> {
  if (node.child.exitCode !== null || node.child.signalCode !== null) return;
  node.child.kill('SIGTERM');
  node.child.kill('SIGTERM');
  const timer = setTimeout(() => node.child.kill('SIGKILL'), graceMs);
  await node.exited;
  clearTimeout(timer);
}

/** Waits for `check` to return a value other than undefined, polling every `everyMs`. */
export async function waitFor<T>(what: string, check: () => T | undefined | Promise<T | undefined>, timeoutMs: number, everyMs = 5): Promise<T> {
  const deadline = performance.now() + timeoutMs;
  for (;;) {
    const value = await check();
    if (value !== undefined) return value;
    if (performance.now() > deadline) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await sleep(everyMs);
  }
}

/**
 * A folder whose subfolders ext4 spreads over block groups (the Orlov "top directory" flag, chattr +T).
 * On ext4 without a journal, a file created in a block group skips, one by one, every inode freed there
 * in the last minutes (recently_deleted(): 60 s, 360 s while dirty). A spool made where the test suite or
 * an earlier bench has just freed thousands of files pays for them on every create; spread out, a run's
 * spool pays only for what its own farm frees. Elsewhere (tmpfs, NFS) it is a plain folder.
 */
export function spreadFolder(): { dir: string; spread: boolean } {
  if (spread) return spread;
  const dir = path.join(os.tmpdir(), 'renderd-bench-spools');
  fs.mkdirSync(dir, { recursive: true });
  spread = { dir, spread: spawnSync('chattr', ['+T', dir], { stdio: 'ignore' }).status === 0 };
  return spread;
}
let spread: { dir: string; spread: boolean } | undefined;

/** A fresh directory, by default in a block group of its own under the system's temp folder (the spool lives on that disk). */
export async function makeTempDir(label: string, base = spreadFolder().dir): Promise<string> {
  return fsp.mkdtemp(path.join(base, `renderd-bench-${label}-`));
}

export async function removeDir(dir: string): Promise<void> {
  await fsp.rm(dir, { recursive: true, force: true });
}

/** An executable shell script at `file`. */
export async function writeScript(file: string, body: string): Promise<string> {
  await fsp.writeFile(file, `#!/bin/sh\n${body}\n`, { mode: 0o755 });
  return file;
}

/** Names in a directory (none if it does not exist). */
export function namesIn(dir: string): string[] {
  try { return fs.readdirSync(dir); } catch { return []; }
}

/** The one job folder of a spool with a single job. */
export function onlyJobDir(spool: string): string {
  const jobs = namesIn(path.join(spool, 'jobs'));
  if (jobs.length !== 1) throw new Error(`expected one job on ${spool}, found ${jobs.length}`);
  return path.join(spool, 'jobs', jobs[0]);
}

/** Chunk files per state folder of a job. */
export function chunkCounts(jobDir: string): Record<'queued' | 'running' | 'done' | 'failed', number> {
  const count = (state: string) => namesIn(path.join(jobDir, state)).filter((n) => n.endsWith('.json') && !n.startsWith('.')).length;
  return { queued: count('queued'), running: count('running'), done: count('done'), failed: count('failed') };
}

/** Resident set size of a live process, from /proc/PID/status, in MiB. */
export function rssMiB(pid: number): number | undefined {
  try {
    const match = /VmRSS:\s+(\d+) kB/.exec(fs.readFileSync(`/proc/${pid}/status`, 'utf8'));
    return match ? Number(match[1]) / 1024 : undefined;
  } catch {
    return undefined;
  }
}

/** First line of `cmd args` (a version string), or 'not installed'. */
export function firstLine(cmd: string, args: string[]): string {
  const result = spawnSync(cmd, args, { encoding: 'utf8', timeout: 20_000 });
  if (result.error || result.status === null) return 'not installed';
  return (result.stdout || result.stderr).split('\n')[0].trim();
}

export function hasCommand(cmd: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }).status === 0;
}

/** 1-minute load average, to show how busy the machine was around a measurement. */
export function load1(): string {
  return os.loadavg()[0].toFixed(2);
}

/** Rotates `items` by `by` places: repetition i runs the contenders in a different order. */
export function rotate<T>(items: T[], by: number): T[] {
  const k = ((by % items.length) + items.length) % items.length;
  return [...items.slice(k), ...items.slice(0, k)];
}

/** CPU time of a process, split into its own and that of the children it has waited for. */
export interface CpuTimes {
  selfMs: number;
  childrenMs: number;
}

const CLOCK_TICK_MS = 10; // USER_HZ is 100 on Linux (getconf CLK_TCK)

function readCpu(pid: number): CpuTimes | undefined {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    const f = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
    // fields 14-17 of proc(5): utime, stime, cutime, cstime; f[0] is field 3
    return { selfMs: (Number(f[11]) + Number(f[12])) * CLOCK_TICK_MS, childrenMs: (Number(f[13]) + Number(f[14])) * CLOCK_TICK_MS };
  } catch {
    return undefined;
  }
}

/** The hook launcher renderd started (libexec/launcher.pl): it forks the hooks, so its CPU is theirs. */
function launcherOf(pid: number): number | undefined {
  try {
    for (const tid of fs.readdirSync(`/proc/${pid}/task`)) {
      for (const child of fs.readFileSync(`/proc/${pid}/task/${tid}/children`, 'utf8').trim().split(/\s+/).filter(Boolean)) {
        if (fs.readFileSync(`/proc/${child}/cmdline`, 'utf8').includes('launcher.pl')) return Number(child);
      }
    }
  } catch { /* exited meanwhile */ }
  return undefined;
}

/**
 * Samples a process's CPU times until it exits; `last()` is the final sample (up to `everyMs` short).
 * A renderd's hook launcher is counted with it: the launcher's own time as the node's, and the hooks it
 * waited for as the node's children.
 */
export function watchCpu(pid: number, everyMs = 20): { last: () => CpuTimes; stop: () => void } {
  let own: CpuTimes = { selfMs: 0, childrenMs: 0 };
  let launcher: number | undefined;
  let launched: CpuTimes = { selfMs: 0, childrenMs: 0 };
  const timer = setInterval(() => {
    own = readCpu(pid) ?? own;
    launcher ??= launcherOf(pid);
    if (launcher) launched = readCpu(launcher) ?? launched;
  }, everyMs);
  return {
    last: () => ({ selfMs: own.selfMs + launched.selfMs, childrenMs: own.childrenMs + launched.childrenMs }),
    stop: () => clearInterval(timer),
  };
}

/** CPU of everything a shell pipeline ran (bash's `times`, children line), with its wall time. */
export async function runShellWithCpu(pipeline: string): Promise<{ ms: number; cpuMs: number }> {
  const result = await runTimed('bash', ['-c', `${pipeline}\ntimes`]);
  if (result.code !== 0) throw new Error(`${pipeline} exited ${result.code}: ${result.stderr}`);
  const lines = result.stdout.trim().split('\n');
  const toMs = (t: string) => { const m = /(\d+)m([\d.]+)s/.exec(t); return m ? (Number(m[1]) * 60 + Number(m[2])) * 1000 : NaN; };
  const [user, sys] = (lines[lines.length - 1] ?? '').split(/\s+/);
  return { ms: result.ms, cpuMs: toMs(user) + toMs(sys) };
}
