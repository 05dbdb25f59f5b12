// Each step of a chunk's life, timed alone by calling renderd's own code (dist/src) in this process:
// the hook chain, the claim, the end of the attempt, the finder's reads, a heartbeat. Imported at run
// time and loosely typed on purpose: src/ is edited by others, and a renamed function should make this
// section say "n/a" rather than break `tsc` for everyone. Run as its own process (profile.ts spawns it) so
// that, like a renderd, it forks from a small heap: the cost of a spawn grows with the parent's size.
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { DIST_SRC, median, submitExec } from './support.js';

/* eslint-disable @typescript-eslint/no-explicit-any */
type Loose = any;

async function load(module: string): Promise<Loose> {
  return import(pathToFileURL(path.join(DIST_SRC, module)).href);
}

export interface Step {
  name: string;
  /** Median ms of one call. */
  ms: number;
  /** Median CPU ms of this process (all its threads, user + system) during one call; a child's own CPU is not in it. */
  cpuMs: number;
  runs: number;
  error?: string;
}

interface StepDef {
  name: string;
  run: (i: number) => Promise<unknown>;
}

/**
 * Times every step once per round, `runs` rounds after a warm-up round: on a shared machine whose load
 * comes and goes, each step sees the same moments (a step that fails once is reported n/a).
 */
async function timeInRounds(defs: StepDef[], runs: number): Promise<Step[]> {
  const times = defs.map(() => [] as number[]);
  const cpu = defs.map(() => [] as number[]);
  const errors: (string | undefined)[] = defs.map(() => undefined);
  for (let i = 0; i <= runs; i++) {
    for (const [k, def] of defs.entries()) {
      if (errors[k]) continue;
      const start = performance.now();
      const cpuStart = process.cpuUsage();
      try {
        await def.run(i);
      } catch (error) {
        errors[k] = (error as Error).message.split('\n')[0].slice(0, 160);
        continue;
      }
      if (i === 0) continue;
      times[k].push(performance.now() - start);
      const used = process.cpuUsage(cpuStart);
      cpu[k].push((used.user + used.system) / 1000);
    }
  }
  return defs.map((def, k) => (errors[k] ? { name: def.name, ms: NaN, cpuMs: NaN, runs: 0, error: errors[k] } : { name: def.name, ms: median(times[k]), cpuMs: median(cpu[k]), runs }));
}

function spawnAndWait(argv: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const child = spawn(argv[0], argv.slice(1), { stdio: 'ignore', detached: true });
    child.on('error', reject);
    child.on('exit', () => resolve());
  });
}

/** `runs` of every step, on a fresh spool in `dir` holding one job of enough chunks. */
export async function measureSteps(dir: string, runs: number): Promise<Step[]> {
  const spool = path.join(dir, 'micro-spool');
  const chunks = runs + 2;
  const { id: job } = await submitExec(spool, ['--frames', `1-${chunks}`, '--chunk', '1', '--name', 'micro'], ['true']);
  const [openMod, mutex, clock, protocol, host, active, read, registry, sysinfo, runMod, stages, atomic] = await Promise.all([
    'spool/open.js', 'claim/mutex.js', 'claim/clock.js', 'claim/protocol.js', 'nodes/host.js', 'jobs/active.js', 'jobs/read.js',
    'nodes/registry.js', 'nodes/sysinfo.js', 'hooks/run.js', 'hooks/stages.js', 'spool/atomic.js',
  ].map((m) => load(m).catch(() => ({}))));
  const log = () => {};
  const layout = await openMod.openSpool(spool);
  const ctx = { layout, clock: clock.systemClock, log, locks: new mutex.LockManager(clock.systemClock, log) };
  const identity = host.currentIdentity();
  const holder = { node: 'micro', instance: 'micro-instance', host: identity.host, bootId: identity.bootId, pidns: identity.pidns, pid: identity.pid, pidStart: identity.pidStart };
  const names: string[] = (await read.chunkNames(ctx, job, 'queued')).sort();
  const jobRecord = JSON.parse(await fs.readFile(path.join(spool, 'jobs', job, 'job.json'), 'utf8'));
  const claimedRecords: Loose[] = [];
  const { execa } = await import('execa');
  const noAbort = new AbortController().signal;
  const hookOptions = { command: ['true'], cwd: dir, env: {}, nice: 10, onLine: () => {}, signal: noAbort };
  const nodeRecord = {
    v: 1, name: 'micro', instance: 'micro-instance', host: identity.host, bootId: identity.bootId, pidns: identity.pidns, pid: identity.pid,
    pidStart: identity.pidStart, startedAt: new Date().toISOString(), beat: 1, state: 'running', slots: 1, tags: [],
    running: [{ job, chunk: '0001', token: '0123456789abcdef', attempt: 1, startedAt: new Date().toISOString() }], updatedAt: new Date().toISOString(),
  };
  const sampler = sysinfo.SystemSampler ? new sysinfo.SystemSampler() : undefined;
  const scratch = path.join(dir, 'scratch');
  await fs.mkdir(scratch, { recursive: true });
  const payload = JSON.stringify({ ...nodeRecord, padding: 'x'.repeat(400) });

  const defs: StepDef[] = [];
  const step = (name: string, run: (i: number) => Promise<unknown>): StepDef => ({ name, run });
  // process start-up: what renderd forking `true` itself costs, against handing it to the launcher
  defs.push(step('spawn `true` (child_process, from renderd)', () => spawnAndWait(['true'])));
  defs.push(step('execa(`true`)', () => execa('true', { reject: false })));
  defs.push(step('runHook(`true`) (through the launcher, with line readers)', () => runMod.runHook(hookOptions)));
  defs.push(step('runChunkHooks (discover, log file, env, runHook)', (i) => stages.runChunkHooks({
    spool, job: jobRecord, chunk: { id: `m${i}`, frames: [i], attempt: 1, job }, node: 'micro', attempt: 1,
    logFile: path.join(scratch, `m${i}.log`), hooksDir: path.join(spool, 'jobs', job, 'hooks'), command: ['true'], cwd: dir, nice: 10, signal: noAbort,
  })));
  // the spool I/O of one chunk
  defs.push(step('lock + release (mkdir, stat, rmdir)', (i) => ctx.locks.tryLock(path.join(scratch, `lock${i}`)).then((r: Loose) => r.lock.release())));
  defs.push(step('atomic write (open, write, fsync, close, rename)', (i) => atomic.writeFileAtomic(path.join(scratch, `a${i}.json`), payload)));
  defs.push(step('same write without fsync', async (i) => {
    await fs.writeFile(path.join(scratch, `.b${i}.tmp`), payload);
    await fs.rename(path.join(scratch, `.b${i}.tmp`), path.join(scratch, `b${i}.json`));
  }));
  defs.push(step('listActive (readdir active/)', () => active.listActive(ctx)));
  defs.push(step(`chunkNames(queued) of ${chunks}`, () => read.chunkNames(ctx, job, 'queued')));
  defs.push(step('tryClaim (lock, read, rename into running/; the lock is kept)', async (i) => {
    const result = await protocol.tryClaim(ctx, job, names[i], holder);
    if (!result.ok) throw new Error(`claim of ${names[i]}: ${result.reason}`);
    claimedRecords.push({ ...result.record, held: result.lock });
  }));
  defs.push(step('endAttempt done (read, rename, write+fsync+rename, unlock)', async (i) => {
    const record = claimedRecords[i];
    const claim = { node: record.holder.node, instance: record.holder.instance, token: record.token };
    const result = await protocol.endAttempt(ctx, job, record.id, claim, { outcome: 'done' }, { retries: 2, held: record.held });
    if (!result.ok) throw new Error(`end of ${record.id}: ${result.reason}`);
  }));
  defs.push(step('hasLiveChunks (end-of-attempt deactivation check)', () => active.hasLiveChunks(ctx, job)));
  defs.push(step('heartbeat: writeNodeRecord (atomic write)', () => registry.writeNodeRecord(layout, nodeRecord)));
  defs.push(step('heartbeat: SystemSampler.sample (every 2nd beat)', () => sampler.sample()));
  return timeInRounds(defs, runs);
}

/** `node dist/bench/profile-micro.js DIR RUNS`: prints {steps, rssMiB} as JSON. */
if (process.argv[1] && path.resolve(process.argv[1]) === fileURLToPath(import.meta.url)) {
  const [dir, runs] = process.argv.slice(2);
  measureSteps(dir, Number(runs)).then((steps) => {
    process.stdout.write(JSON.stringify({ steps, rssMiB: process.memoryUsage().rss / 2 ** 20 }));
  }).catch((error) => {
    process.stderr.write(`${(error as Error).stack ?? error}\n`);
    process.exitCode = 1;
  });
}
