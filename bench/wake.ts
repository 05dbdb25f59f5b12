// Wake latency (issue 4): from `render exec` returning to the chunk's command starting (it writes
// `date +%s%N`), with the node polling only every 10 s, so a wake is the only quick way to new work.
//   local   renderd and render in this namespace: inotify and the Unix socket both wake the node;
//   remote  renderd as its own "host" (net, pid, user namespaces, own boot id, no inotify — see
//           test/daemon/net-support.ts), render in a tool namespace: only the TCP wake reaches it.
// Each run is also split using what the node writes on the spool (ms precision): the claim's
// `startedAt`, and the chunk log's notes for the hook runner and the command starting.
// Goal: median under 100 ms. Alone: `node dist/bench/wake.js [RUNS]` (the remote case needs root for netns);
// bench/run.ts runs measureWakeLocal and measureWakeRemote among its extras.
import { spawn } from 'node:child_process';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { Stamps, NetLab, netnsAvailable } from '../test/daemon/net-support.js';
import {
  QUICK, RENDER_BIN, epochMs, load1, makeTempDir, median, namesIn, removeDir, sleep, startNode, stopNode, waitFor,
  type BenchResult,
} from './support.js';

export const DEFAULT_RUNS = QUICK ? 5 : 15;
const POLL_MS = 10_000;
const GOAL_MS = 100;
/** Between runs: the chunk has ended and the node is back in its 10 s sleep. */
const SETTLE_MS = 300;

export interface WakeRun {
  /** `render exec`, spawn to exit. */
  cliMs: number;
  /** Exit of `render exec` → the command's `date +%s%N`: the figure with the goal. */
  latencyMs: number;
  /** Exit of `render exec` → claim (`startedAt` of the attempt; negative: claimed before the CLI had exited). */
  claimMs: number;
  /** Claim → the hook runner's first log note. */
  runnerMs: number;
  /** Runner's "render-command: start" note → the command's stamp (setpriv, nice, guard sh, script, date). */
  spawnMs: number;
}

export interface WakeCase {
  name: 'local' | 'remote';
  runs: WakeRun[];
  medians: WakeRun;
}

export interface WakeBenchResult extends BenchResult {
  cases: WakeCase[];
}

type Tool = (args: string[]) => Promise<{ code: number | null; stdout: string; stderr: string; exitedAt: number; ms: number }>;

/** Spawns argv and notes the moment it exits (what a shell sees), not when its pipes close. */
function runToExit(argv: string[]): ReturnType<Tool> {
  return new Promise((resolve, reject) => {
    const started = performance.now();
    const child = spawn(argv[0], argv.slice(1), { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    let exit: { code: number | null; exitedAt: number; ms: number } | undefined;
    child.stdout.setEncoding('utf8').on('data', (text: string) => { stdout += text; });
    child.stderr.setEncoding('utf8').on('data', (text: string) => { stderr += text; });
    child.on('error', reject);
    child.on('exit', (code) => { exit = { code, exitedAt: epochMs(), ms: performance.now() - started }; });
    child.on('close', () => resolve({ ...exit!, stdout, stderr }));
  });
}

/** The node's own view of the attempt: claim time from the chunk record, runner and command start from its log. */
async function nodeTimes(spool: string, job: string): Promise<{ claimed: number; runner: number; command: number }> {
  const jobDir = path.join(spool, 'jobs', job);
  return waitFor('the chunk record and log', async () => {
    // running/ or, a moment later, done/: read done/ last so a move in between is caught by the next try
    let text = '';
    for (const state of ['running', 'done']) text = await fsp.readFile(path.join(jobDir, state, '0001.json'), 'utf8').catch(() => text);
    const log = await fsp.readFile(path.join(jobDir, 'logs', '0001.1.log'), 'utf8').catch(() => '');
    if (!text || !log) return undefined;
    const record = JSON.parse(text) as { startedAt: string };
    const note = (pattern: RegExp) => {
      const line = log.split('\n').find((l) => pattern.test(l));
      return line ? Date.parse(line.split(' ')[1]) : undefined;
    };
    const runner = note(/^\[renderd\] \S+ node /);
    const command = note(/render-command: start/);
    return runner && command ? { claimed: Date.parse(record.startedAt), runner, command } : undefined;
  }, 5000);
}

async function measure(name: WakeCase['name'], runs: number, spool: string, tool: Tool, stamps: Stamps): Promise<WakeCase> {
  const results: WakeRun[] = [];
  await sleep(1000); // the node has looked once and gone to sleep
  for (let i = 0; i < runs; i++) {
    const seen = (await stamps.read()).length;
    const exec = await tool(['--spool', spool, 'exec', '--json', '--name', `wake-${name}-${i}`, '--', ...stamps.command()]);
    if (exec.code !== 0) throw new Error(`render exec exited ${exec.code}: ${exec.stderr}`);
    const job = (JSON.parse(exec.stdout) as { id: string }).id;
    const stamp = (await stamps.waitFor(seen + 1, POLL_MS + 5000))[seen];
    const times = await nodeTimes(spool, job);
    results.push({
      cliMs: exec.ms,
      latencyMs: stamp.wallMs - exec.exitedAt,
      claimMs: times.claimed - exec.exitedAt,
      runnerMs: times.runner - times.claimed,
      spawnMs: stamp.wallMs - times.command,
    });
    await waitFor(`job ${job} to finish`, () => (namesIn(path.join(spool, 'jobs', job, 'done')).length === 1 ? true : undefined), 10_000);
    await sleep(SETTLE_MS);
  }
  const pick = (key: keyof WakeRun) => median(results.map((r) => r[key]));
  return { name, runs: results, medians: { cliMs: pick('cliMs'), latencyMs: pick('latencyMs'), claimMs: pick('claimMs'), runnerMs: pick('runnerMs'), spawnMs: pick('spawnMs') } };
}

async function localCase(runs: number): Promise<WakeCase> {
  const dir = await makeTempDir('wake-local');
  const spool = path.join(dir, 'spool');
  try {
    await runToExit([process.execPath, RENDER_BIN, '--spool', spool, 'list']);
    const node = startNode(spool, 'local', ['--poll', String(POLL_MS)], dir);
    try {
      await waitFor('the node to register', () => (namesIn(path.join(spool, 'nodes')).includes('local.json') ? true : undefined), 15_000);
      const stamps = await Stamps.create(dir);
      return await measure('local', runs, spool, (args) => runToExit([process.execPath, RENDER_BIN, ...args]), stamps);
    } finally {
      await stopNode(node);
    }
  } finally {
    await removeDir(dir);
  }
}

async function remoteCase(runs: number): Promise<WakeCase> {
  const dir = await makeTempDir('wake-remote');
  const spool = path.join(dir, 'spool');
  const lab = await NetLab.create(dir, ['hostb']);
  try {
    await lab.renderJson(spool, ['list']);
    await lab.startNode('hostb', spool, { pollMs: POLL_MS }).waitUp(spool);
    const stamps = await Stamps.create(dir);
    return await measure('remote', runs, spool, (args) => runToExit(['ip', 'netns', 'exec', lab.tool.ns, process.execPath, RENDER_BIN, ...args]), stamps);
  } finally {
    await lab.destroy();
    await removeDir(dir);
  }
}

const f = (v: number) => v.toFixed(1).padStart(7);

export function formatTable(cases: WakeCase[]): string {
  const lines = [
    'wake latency, median ms (poll 10 s)   exec→hook   render exec   exec→claim   claim→runner   cmd spawn',
    ...cases.map((c) => `  ${c.name.padEnd(8)} (${String(c.runs.length).padStart(2)} runs)                ${f(c.medians.latencyMs)}       ${f(c.medians.cliMs)}      ${f(c.medians.claimMs)}        ${f(c.medians.runnerMs)}     ${f(c.medians.spawnMs)}`),
    `  goal: exec→hook median under ${GOAL_MS} ms`,
  ];
  return lines.join('\n');
}

/** Both cases (the remote one only where network namespaces can be made), as table rows and details. */
export async function benchWake(runs = DEFAULT_RUNS): Promise<WakeBenchResult> {
  const cases: WakeCase[] = [await localCase(runs)];
  const canNetns = netnsAvailable();
  if (canNetns) cases.push(await remoteCase(runs));
  const rows = cases.map((c) => ({
    bench: 'wake',
    metric: `render exec returns → chunk starts, ${c.name === 'local' ? 'same host' : 'across network namespaces (TCP)'}, poll 10 s, median of ${c.runs.length}`,
    value: `${c.medians.latencyMs.toFixed(0)} ms`,
    goal: `< ${GOAL_MS} ms`,
    pass: c.medians.latencyMs < GOAL_MS,
    note: `render exec itself: ${c.medians.cliMs.toFixed(0)} ms`,
  }));
  const details = [
    formatTable(cases),
    ...cases.map((c) => `${c.name} exec→hook, every run (ms): ${c.runs.map((r) => r.latencyMs.toFixed(0)).join(', ')}`),
    `load average after: ${load1()}`,
    ...(canNetns ? [] : ['remote case skipped: cannot create network namespaces here (needs root)']),
  ];
  return { cases, rows, details };
}

/** For bench/run.ts (it calls every exported no-argument `measure…`): median exec→hook on one host, ms. */
export async function measureWakeLocal(): Promise<number> {
  return (await localCase(DEFAULT_RUNS)).medians.latencyMs;
}

/** The same from a tool in another network namespace over TCP, ms (NaN where namespaces cannot be made). */
export async function measureWakeRemote(): Promise<number> {
  return netnsAvailable() ? (await remoteCase(DEFAULT_RUNS)).medians.latencyMs : NaN;
}

if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const runs = Number(process.argv[2] ?? DEFAULT_RUNS);
  benchWake(Number.isInteger(runs) && runs > 0 ? runs : DEFAULT_RUNS).then((result) => {
    console.log(result.details.join('\n'));
  }).catch((error) => {
    console.error(error);
    process.exitCode = 1;
  });
}
