// Where the time of one chunk goes, on the throughput path (one node, one slot, chunks of `true`):
// (1) a run under `node --cpu-prof`: steady wall per chunk from the chunk records, JS time by domain;
// (2) a run under `strace -f`: system calls per chunk, the daemon's apart from the hook processes';
// (3) each step timed alone by calling renderd's own code (profile-micro.ts).
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import {
  QUICK, RENDERD_BIN, NODE_NET_FLAGS, hasCommand, runTimed, makeTempDir, median, namesIn, onlyJobDir, removeDir, startNode, submitExec,
  type BenchResult, type Row,
} from './support.js';
import { readCpuProfile, topPerChunk } from './profile-cpu.js';
import { splitTrace, total, type CallCounts, type TraceSplit } from './profile-strace.js';
import type { Step } from './profile-micro.js';

const PROFILE_CHUNKS = QUICK ? 60 : 300;
const STRACE_CHUNKS = QUICK ? 20 : 80;
const MICRO_RUNS = QUICK ? 15 : 60;

interface ChunkTimes { claimToEnd: number[]; gaps: number[]; steadyPerChunk: number }

/** From the done chunk files: claim→end of each attempt, and end→next claim (one slot, one node). */
function chunkTimes(jobDir: string): ChunkTimes {
  const spans = namesIn(path.join(jobDir, 'done')).filter((n) => n.endsWith('.json')).map((name) => {
    const record = JSON.parse(fs.readFileSync(path.join(jobDir, 'done', name), 'utf8')) as { history: { startedAt?: string; endedAt: string }[] };
    const last = record.history[record.history.length - 1];
    return { start: Date.parse(last.startedAt ?? last.endedAt), end: Date.parse(last.endedAt) };
  }).sort((a, b) => a.start - b.start);
  const claimToEnd = spans.map((s) => s.end - s.start);
  const gaps = spans.slice(1).map((s, i) => s.start - spans[i].end);
  const steadyPerChunk = spans.length > 1 ? (spans[spans.length - 1].end - spans[0].start) / spans.length : NaN;
  return { claimToEnd, gaps, steadyPerChunk };
}

/** One node, one slot, `chunks` chunks of `true`, run to idle under `node --cpu-prof`. */
async function cpuProfiledRun(dir: string, chunks: number) {
  const spool = path.join(dir, 'cpu-spool');
  await submitExec(spool, ['--frames', `1-${chunks}`, '--chunk', '1', '--name', 'profile'], ['true']);
  const profDir = path.join(dir, 'cpuprof');
  const node = startNode(spool, 'prof', ['--exit-when-idle'], dir, ['--cpu-prof', '--cpu-prof-dir', profDir]);
  const exit = await node.exited;
  if (exit.code !== 0) throw new Error(`profiled node exited ${exit.code ?? exit.signal}`);
  const times = chunkTimes(onlyJobDir(spool));
  const profile = namesIn(profDir).find((n) => n.endsWith('.cpuprofile'));
  return { runMs: exit.ms, times, cpu: profile ? readCpuProfile(path.join(profDir, profile)) : undefined };
}

/** Calls of a node run to idle under `strace -f` on `chunks` chunks (0: start-up and shutdown only). */
async function tracedRun(dir: string, chunks: number): Promise<TraceSplit> {
  const spool = path.join(dir, `strace-spool-${chunks}`);
  if (chunks > 0) await submitExec(spool, ['--frames', `1-${chunks}`, '--chunk', '1', '--name', 'strace'], ['true']);
  else await submitExec(spool, ['--frames', '1', '--chunk', '1', '--paused', '--name', 'none'], ['true']);
  const out = path.join(dir, `trace-${chunks}.txt`);
  await new Promise<void>((resolve, reject) => {
    const child = spawn('strace', ['-f', '-qq', '--seccomp-bpf', '-e', 'trace=!futex', '-o', out, process.execPath, RENDERD_BIN,
      '--spool', spool, '--node', 'traced', ...NODE_NET_FLAGS, '--exit-when-idle'], { stdio: 'ignore' });
    child.on('error', reject);
    child.on('exit', (code) => (code === 0 ? resolve() : reject(new Error(`traced node exited ${code}`))));
  });
  return splitTrace(out, spool);
}

function perChunk(run: CallCounts, base: CallCounts, calls: string[], chunks: number, errors = false): number {
  const pick = errors ? (c: CallCounts) => c.errors : (c: CallCounts) => c.calls;
  return calls.reduce((sum, call) => sum + ((pick(run).get(call) ?? 0) - (pick(base).get(call) ?? 0)), 0) / chunks;
}

const fmt = (value: number, digits = 2) => (Number.isFinite(value) ? value.toFixed(digits) : 'n/a');

export async function benchProfile(): Promise<BenchResult> {
  const dir = await makeTempDir('profile');
  const rows: Row[] = [];
  const details: string[] = [];

  const run = await cpuProfiledRun(dir, PROFILE_CHUNKS);
  const { times } = run;
  rows.push({ bench: 'profile', metric: 'wall per chunk, 1 node × 1 slot, steady (from chunk records)', value: `${fmt(times.steadyPerChunk, 1)} ms`,
    note: `claim→end ${fmt(median(times.claimToEnd), 0)} ms + end→next claim ${fmt(median(times.gaps), 0)} ms (medians)` });
  details.push(`Run under \`node --cpu-prof\`: 1 node, 1 slot, ${PROFILE_CHUNKS} chunks of true in ${(run.runMs / 1000).toFixed(1)} s (start-up included); from the chunk records: claim→end median ${fmt(median(times.claimToEnd), 1)} ms, end→next claim median ${fmt(median(times.gaps), 1)} ms (record timestamps are whole ms).`);
  if (run.cpu) {
    details.push(`- main-thread JS time per chunk, sampled (ms), by renderd file on the stack: ${topPerChunk(run.cpu.byDomain, PROFILE_CHUNKS, 10)}`);
    details.push(`- the same by leaf code: ${topPerChunk(run.cpu.byLeaf, PROFILE_CHUNKS, 10)}`);
  }

  let traceNote = 'strace not installed';
  if (hasCommand('strace')) {
    const base = await tracedRun(dir, 0);
    const traced = await tracedRun(dir, STRACE_CHUNKS);
    const n = STRACE_CHUNKS;
    const d = (calls: string[]) => perChunk(traced.daemon, base.daemon, calls, n);
    const daemonAll = (total(traced.daemon.calls) - total(base.daemon.calls)) / n;
    const childAll = (total(traced.children.calls) - total(base.children.calls)) / n;
    const fsyncs = d(['fsync', 'fdatasync']);
    const execs = perChunk(traced.children, base.children, ['execve'], n);
    const failedExecs = perChunk(traced.children, base.children, ['execve'], n, true);
    rows.push({ bench: 'profile', metric: 'fsync per chunk (daemon)', value: fmt(fsyncs, 1) });
    rows.push({ bench: 'profile', metric: 'syscalls per chunk: daemon / hook processes', value: `${fmt(daemonAll, 0)} / ${fmt(childAll, 0)}`, note: `${fmt((traced.processes - base.processes) / n, 1)} processes, ${fmt(execs, 1)} execve (${fmt(failedExecs, 1)} failed PATH probes) per chunk` });
    traceNote = [
      `Run under \`strace -f --seccomp-bpf -e trace=!futex\`: ${n} chunks, minus a run with nothing to do (start-up/shutdown); daemon = renderd's threads (libuv pool included), children = everything it spawned.`,
      `- daemon, per chunk: ${fmt(daemonAll, 0)} calls; fsync ${fmt(fsyncs, 1)}, rename ${fmt(d(['rename', 'renameat', 'renameat2']), 1)}, mkdir ${fmt(d(['mkdir', 'mkdirat']), 1)}, rmdir ${fmt(d(['rmdir']), 1)}, ` +
        `openat ${fmt(d(['openat']), 1)} (${fmt(perChunk(traced.daemon, base.daemon, ['openat'], n, true), 1)} ENOENT), stat ${fmt(d(['statx', 'newfstatat', 'fstat']), 1)}, getdents64 ${fmt(d(['getdents64']), 1)}, ` +
        `read ${fmt(d(['read', 'pread64']), 1)}, write ${fmt(d(['write', 'pwrite64', 'writev']), 1)}, utimensat ${fmt(d(['utimensat']), 1)}, epoll_pwait ${fmt(d(['epoll_pwait', 'epoll_wait']), 1)}, clone ${fmt(d(['clone', 'clone3', 'vfork']), 1)}`,
      `- hook processes, per chunk: ${fmt(childAll, 0)} calls; execve ${fmt(execs, 1)} of which ${fmt(failedExecs, 1)} failed (PATH lookups of nice/ionice/sh/the command), openat ${fmt(perChunk(traced.children, base.children, ['openat'], n), 1)}, mmap ${fmt(perChunk(traced.children, base.children, ['mmap'], n), 1)}`,
    ].join('\n');
    // which files a chunk touches: per pattern, this run's calls less the idle run's, per chunk
    const perPath = [...traced.daemonPaths].map(([k, v]) => [k, (v - (base.daemonPaths.get(k) ?? 0)) / n] as const)
      .filter(([, v]) => v >= 0.5).sort((a, b) => b[1] - a[1]).slice(0, 24);
    traceNote += `\n- the daemon's path calls per chunk (≥ 0.5): ${perPath.map(([k, v]) => `${k} ×${v.toFixed(1)}`).join('; ')}`;
  }
  details.push(traceNote);

  const micro = await runTimed(process.execPath, [path.join(path.dirname(fileURLToPath(import.meta.url)), 'profile-micro.js'), dir, String(MICRO_RUNS)], { timeoutMs: 300_000 });
  if (micro.code !== 0) throw new Error(`profile-micro exited ${micro.code}: ${micro.stderr.trim().split('\n')[0]}`);
  const parsed = JSON.parse(micro.stdout) as { steps: Step[]; rssMiB: number };
  // JSON has no NaN: a step that could not run comes back as null
  const steps = parsed.steps.map((s) => ({ ...s, ms: s.ms ?? NaN, cpuMs: s.cpuMs ?? NaN }));
  details.push(`Each step alone (median of ${MICRO_RUNS}, in a separate node process calling dist/src, RSS ${parsed.rssMiB.toFixed(0)} MiB at the end — a renderd is 55-80 MiB):`);
  details.push(...steps.map((s) => `- ${s.name}: ${s.error ? `n/a (${s.error})` : `${fmt(s.ms)} ms wall, ${fmt(s.cpuMs)} ms CPU of renderd's side`}`));
  await removeDir(dir);
  return { rows, details: [...details, '', ...breakdown(steps, times)] };
}

/** The per-chunk table: the steps of one slot's cycle, wall and CPU ms, against the measured cycle. */
function breakdown(steps: Step[], times: ChunkTimes): string[] {
  const get = (prefix: string) => steps.find((s) => s.name.startsWith(prefix)) ?? { ms: NaN, cpuMs: NaN };
  const pair = (a: { ms: number; cpuMs: number }) => `${fmt(a.ms)} | ${fmt(a.cpuMs)}`;
  const minus = (a: { ms: number; cpuMs: number }, b: { ms: number; cpuMs: number }) => ({ ms: a.ms - b.ms, cpuMs: a.cpuMs - b.cpuMs });
  const plus = (...xs: { ms: number; cpuMs: number }[]) => xs.reduce((acc, x) => ({ ms: acc.ms + x.ms, cpuMs: acc.cpuMs + x.cpuMs }), { ms: 0, cpuMs: 0 });
  const spawnBare = get('spawn `true`');
  const hook = get('runHook');
  const chunkHooks = get('runChunkHooks');
  const claim = plus(get('listActive'), get('tryClaim'));
  const end = plus(get('endAttempt'), get('hasLiveChunks'));
  const beatWrite = get('heartbeat: writeNodeRecord');
  const beat = plus(beatWrite, beatWrite, get('heartbeat: SystemSampler'));
  const predicted = plus(chunkHooks, claim, end);
  return [
    'Per chunk, one slot (wall ms; CPU ms spent by renderd\'s own process — the hook processes\' CPU is not in this column):',
    '',
    '| step | wall ms | renderd CPU ms | how measured |',
    '|---|---:|---:|---|',
    `| hook chain total (runChunkHooks) | ${pair(chunkHooks)} | step timed alone |`,
    `| · runHook: the launcher forks the hook, renderd reads its frames | ${pair(hook)} | step timed alone |`,
    `| · (for comparison: renderd forking \`true\` itself) | ${pair(spawnBare)} | child_process.spawn |`,
    `| · hook discovery, log file, environment | ${pair(minus(chunkHooks, hook))} | runChunkHooks − runHook |`,
    `| claim: listActive + tryClaim (a rename, no fsync) | ${pair(claim)} | steps timed alone |`,
    `| end of attempt: endAttempt + hasLiveChunks (1 fsync) | ${pair(end)} | steps timed alone |`,
    `| finder readdir of queued/ (once per listing, not per chunk) | ${pair(get('chunkNames'))} | step timed alone |`,
    `| heartbeats: 2 record writes (2 fsyncs) + 1 sample, off the critical path | ${pair(beat)} | steps timed alone |`,
    `| **sum on the critical path** | **${fmt(predicted.ms)}** | **${fmt(predicted.cpuMs)}** | hooks + claim + end |`,
    `| **measured cycle (steady)** | **${fmt(times.steadyPerChunk)}** | | chunk records of the profiled run |`,
    `| rest: event loop, wake-ups, heartbeats, stats, CPU shared with the hook | ${fmt(times.steadyPerChunk - predicted.ms)} | | difference |`,
  ];
}
