// Scale: a spool of J jobs × C one-frame chunks. Submission time, `render list` (goal < 1 s), an idle
// node finding the one runnable chunk among them (goal < 1 s), and — on that same spool — the idle cost
// (syscalls/s, constant in the number of chunks) and memory of renderd and `render ui`.
import fs from 'node:fs';
import path from 'node:path';
import {
  QUICK, epochMs, list, load1, makeTempDir, median, namesIn, removeDir, render, secs, startNode, submitExec, waitFor, writeScript,
  type BenchResult, type Row,
} from './support.js';
import { describeIdle, measureIdleNode, type IdleSample } from './idle.js';
import { measureUiMemory } from './memory.js';
import { readCpuProfile, topPerChunk } from './profile-cpu.js';

const JOBS = QUICK ? 10 : 100;
const CHUNKS = QUICK ? 200 : 1000;
const LIST_RUNS = QUICK ? 1 : 3;
const FIND_RUNS = QUICK ? 1 : 3;
const IDLE_SECONDS = QUICK ? 3 : 10;
const POOL = 'bench';

/** Epoch ms written by the stamp script, once complete. */
function readStamp(file: string): number | undefined {
  try {
    const text = fs.readFileSync(file, 'utf8');
    return text.endsWith('\n') ? Number(BigInt(text.trim()) / 1000n) / 1000 : undefined;
  } catch {
    return undefined;
  }
}

/** Times `render list` and `render list --json` LIST_RUNS times each; checks the counts add up. */
async function timeList(spool: string, expectJobs: number): Promise<{ table: number[]; json: number[] }> {
  const table: number[] = [];
  const json: number[] = [];
  for (let i = 0; i < LIST_RUNS; i++) {
    table.push((await render(spool, ['list'])).ms);
    const result = await render(spool, ['list', '--json']);
    json.push(result.ms);
    const jobs = JSON.parse(result.stdout) as { chunks: { total: number } }[];
    const total = jobs.reduce((sum, j) => sum + j.chunks.total, 0);
    if (jobs.length !== expectJobs || total !== expectJobs * CHUNKS) throw new Error(`render list --json shows ${jobs.length} jobs, ${total} chunks`);
  }
  return { table, json };
}

/**
 * Marks every job but the last fully done, and the last one done but for its last chunk, the way the
 * layout records it: each chunk file renamed from queued/ to done/ (the folder is a chunk's state; its
 * content is not rewritten), and the finished jobs' active/ entries removed as their last node would.
 */
function markAllButOneDone(spool: string, jobs: string[]): { job: string; chunk: string } {
  const active = path.join(spool, 'active');
  for (const [i, job] of jobs.entries()) {
    const queued = path.join(spool, 'jobs', job, 'queued');
    const done = path.join(spool, 'jobs', job, 'done');
    const names = namesIn(queued).filter((n) => n.endsWith('.json')).sort();
    const keep = i === jobs.length - 1 ? names.pop() : undefined;
    for (const name of names) fs.renameSync(path.join(queued, name), path.join(done, name));
    if (keep) return { job, chunk: keep.slice(0, -5) };
    for (const entry of namesIn(active)) if (entry.startsWith(`${job}.`)) fs.unlinkSync(path.join(active, entry));
  }
  throw new Error('no jobs');
}

/**
 * The same jobs with one chunk each: a copy of each job's folder (job.json, hooks, state folders) holding
 * only its first chunk file, and the same active/ entries, in a spool of its own. Idle cost on it against
 * the full spool isolates the number of chunks from the number of jobs.
 */
function copySkeleton(spool: string, dest: string, jobs: string[]): void {
  for (const job of jobs) {
    const from = path.join(spool, 'jobs', job);
    const to = path.join(dest, 'jobs', job);
    for (const sub of ['queued', 'running', 'done', 'failed', 'locks', 'logs', 'tmp']) fs.mkdirSync(path.join(to, sub), { recursive: true });
    fs.cpSync(path.join(from, 'hooks'), path.join(to, 'hooks'), { recursive: true });
    fs.copyFileSync(path.join(from, 'job.json'), path.join(to, 'job.json'));
    const first = namesIn(path.join(from, 'queued')).filter((n) => n.endsWith('.json')).sort()[0];
    fs.copyFileSync(path.join(from, 'queued', first), path.join(to, 'queued', first));
  }
  for (const entry of namesIn(path.join(spool, 'active'))) if (!entry.startsWith('.')) fs.writeFileSync(path.join(dest, 'active', entry), '');
}

/** Node start → the hook of the one runnable chunk starting; the node exits once idle. */
async function timeFind(spool: string, job: string, stamps: string, workDir: string, nodeArgs: string[] = []): Promise<number> {
  const stampFile = path.join(stamps, job);
  fs.rmSync(stampFile, { force: true });
  const before = epochMs();
  const node = startNode(spool, 'finder', ['--exit-when-idle', '--pool', POOL], workDir, nodeArgs);
  const started = await waitFor('the runnable chunk to start', () => readStamp(stampFile), 60_000, 2);
  const exit = await node.exited;
  if (exit.code !== 0) throw new Error(`finder node exited ${exit.code ?? exit.signal}`);
  return started - before;
}

/** Puts the chunk back in the queue (and its job back in active/) for another find. */
function requeue(spool: string, job: string, chunk: string): void {
  const dir = path.join(spool, 'jobs', job);
  fs.renameSync(path.join(dir, 'done', `${chunk}.json`), path.join(dir, 'queued', `${chunk}.json`));
  fs.writeFileSync(path.join(spool, 'active', `${job}.p0`), '');
}

export async function benchScale(): Promise<BenchResult> {
  const dir = await makeTempDir('scale');
  const spool = path.join(dir, 'spool');
  const stamps = path.join(dir, 'stamps');
  fs.mkdirSync(stamps);
  const stamp = await writeScript(path.join(dir, 'stamp.sh'), `date +%s%N > "${stamps}/$RENDER_JOB"`);
  const details: string[] = [];
  const rows: Row[] = [];
  const total = JOBS * CHUNKS;
  const label = `${JOBS} jobs × ${CHUNKS.toLocaleString('en')} chunks`;

  // 1. submission
  const loadBefore = load1();
  const submitStart = performance.now();
  const jobs: string[] = [];
  const submitMs: number[] = [];
  for (let i = 0; i < JOBS; i++) {
    const submitted = await submitExec(spool, ['--frames', `1-${CHUNKS}`, '--chunk', '1', '--pool', POOL, '--name', `scale-${i}`], [stamp]);
    jobs.push(submitted.id);
    submitMs.push(submitted.ms);
  }
  const submitAll = performance.now() - submitStart;
  rows.push({ bench: 'scale', metric: `submit ${label} (${JOBS} × render exec)`, value: `${secs(submitAll, 1)} (median ${median(submitMs).toFixed(0)} ms each)` });
  details.push(`Spool of ${label} = ${total.toLocaleString('en')} chunks, submitted one \`render exec --frames 1-${CHUNKS} --chunk 1 --pool ${POOL}\` after another (load before: ${loadBefore}).`);

  // 2. render list over every chunk queued
  const queuedList = await timeList(spool, JOBS);
  const listMedian = median(queuedList.table);
  rows.push({ bench: 'scale', metric: `render list, ${total.toLocaleString('en')} chunks`, value: `${listMedian.toFixed(0)} ms`, goal: '< 1 s', pass: listMedian < 1000 });
  rows.push({ bench: 'scale', metric: 'render list --json, same spool', value: `${median(queuedList.json).toFixed(0)} ms`, goal: '< 1 s', pass: median(queuedList.json) < 1000 });
  details.push(`- render list (all queued): ${list(queuedList.table)} ms; --json: ${list(queuedList.json)} ms`);

  // 3. idle node on the full spool: every job active, none runnable here (another pool)
  const idle: IdleSample[] = [];
  idle.push(await measureIdleNode(`${total.toLocaleString('en')} chunks queued in ${JOBS} active jobs of another pool`, spool, ['--pool', 'elsewhere'], IDLE_SECONDS, dir));
  const skeleton = path.join(dir, 'skeleton');
  await render(skeleton, ['list']);
  copySkeleton(spool, skeleton, jobs);
  idle.push(await measureIdleNode(`the same ${JOBS} active jobs with 1 chunk each (${JOBS} chunks)`, skeleton, ['--pool', 'elsewhere'], IDLE_SECONDS, dir));

  // 4. render ui on the full spool
  const ui = await measureUiMemory(spool);

  // 5. one runnable chunk among the rest, all done
  const markStart = performance.now();
  const target = markAllButOneDone(spool, jobs);
  details.push(`- marked ${total - 1} chunks done by renaming queued/ → done/ and removing the ${JOBS - 1} finished jobs' active/ entries (${secs(performance.now() - markStart, 1)}); runnable: ${target.job}/${target.chunk}, last in claim order`);
  const finds: number[] = [];
  for (let i = 0; i < FIND_RUNS; i++) {
    if (i > 0) requeue(spool, target.job, target.chunk);
    finds.push(await timeFind(spool, target.job, stamps, dir));
  }
  const findMedian = median(finds);
  // once more under --cpu-prof (not timed): what the finding node's main thread did
  requeue(spool, target.job, target.chunk);
  const profDir = path.join(dir, 'find-cpuprof');
  await timeFind(spool, target.job, stamps, dir, ['--cpu-prof', '--cpu-prof-dir', profDir]);
  const findProfile = namesIn(profDir).find((n) => n.endsWith('.cpuprofile'));
  if (findProfile) details.push(`- the finding node under --cpu-prof, main-thread ms by renderd file (start to exit): ${topPerChunk(readCpuProfile(path.join(profDir, findProfile)).byDomain, 1, 10)}`);
  rows.push({ bench: 'scale', metric: `node start → the 1 runnable chunk's hook, among ${total.toLocaleString('en')}`, value: `${findMedian.toFixed(0)} ms`, goal: '< 1 s', pass: findMedian < 1000 });

  // the same on a spool holding just that one chunk: what node start-up alone costs
  const small = path.join(dir, 'small');
  const smallJob = (await submitExec(small, ['--frames', '1', '--pool', POOL], [stamp])).id;
  const baseline: number[] = [];
  for (let i = 0; i < FIND_RUNS; i++) {
    if (i > 0) requeue(small, smallJob, namesIn(path.join(small, 'jobs', smallJob, 'done'))[0].slice(0, -5));
    baseline.push(await timeFind(small, smallJob, stamps, dir));
  }
  rows.push({ bench: 'scale', metric: 'same, on a spool of that one chunk only', value: `${median(baseline).toFixed(0)} ms`, note: `ratio ${(findMedian / median(baseline)).toFixed(2)}` });
  details.push(`- node start → hook start (ms), big spool: ${list(finds)}; one-chunk spool: ${list(baseline)}`);

  const doneList = await timeList(spool, JOBS);
  rows.push({ bench: 'scale', metric: 'render list, same spool, all done', value: `${median(doneList.table).toFixed(0)} ms`, goal: '< 1 s', pass: median(doneList.table) < 1000 });
  details.push(`- render list (all done): ${list(doneList.table)} ms; --json: ${list(doneList.json)} ms`);

  // 6. idle cost: all done, and an empty spool
  idle.push(await measureIdleNode(`${total.toLocaleString('en')} chunks, all done (active/ empty)`, spool, ['--pool', POOL], IDLE_SECONDS, dir));
  const empty = path.join(dir, 'empty');
  await render(empty, ['list']);
  idle.push(await measureIdleNode('empty spool', empty, ['--pool', POOL], IDLE_SECONDS, dir));
  const [busy, thin, allDone, bare] = idle;
  // "constant": within 25 % (plus 2 calls/s of timer jitter) of the same spool without the chunks
  const same = (a: IdleSample, b: IdleSample) => a.spoolFsPerSec <= b.spoolFsPerSec * 1.25 + 2;
  const pair = (s: IdleSample) => `${s.spoolFsPerSec.toFixed(1)} (${s.totalPerSec.toFixed(0)})`;
  rows.push({ bench: 'idle', metric: 'idle node, empty spool: fs calls/s (all syscalls/s)', value: pair(bare) });
  rows.push({ bench: 'idle', metric: `idle node, ${total.toLocaleString('en')} chunks all done (active/ empty)`, value: pair(allDone), goal: '≈ empty spool', pass: same(allDone, bare) });
  rows.push({ bench: 'idle', metric: `idle node, ${JOBS} active jobs × 1 chunk, none runnable here`, value: pair(thin) });
  rows.push({ bench: 'idle', metric: `idle node, ${JOBS} active jobs × ${CHUNKS.toLocaleString('en')} chunks, none runnable here`, value: pair(busy), goal: `≈ ${JOBS} × 1 chunk`, pass: same(busy, thin), note: `${(busy.spoolFsPerSec / Math.max(thin.spoolFsPerSec, 0.1)).toFixed(2)}× the 1-chunk spool, ${(busy.spoolFsPerSec / Math.max(bare.spoolFsPerSec, 0.1)).toFixed(1)}× the empty one` });
  details.push(`Idle cost: \`strace -c -f -p PID\` for ${IDLE_SECONDS} s, 3 s after the node registered. "fs calls" = calls naming a path, getdents64 and fsync (the spool work); all syscalls in brackets. Constant in chunks = within 25 % + 2/s of the same spool with 1 chunk per job (or of the empty spool, when no job is active).`);
  details.push(...idle.map(describeIdle));
  details.push('  (not in the window: the reaper\'s full check of jobs/ every 30 s, 3 opendirs per job without an active/ entry.)');

  rows.push({ bench: 'memory', metric: 'idle renderd RSS: empty spool / big spool active / big spool done', value: `${bare.rssMiB?.toFixed(0)} / ${busy.rssMiB?.toFixed(0)} / ${allDone.rssMiB?.toFixed(0)} MiB` });
  rows.push({ bench: 'memory', metric: `render ui RSS after 3 s, ${total.toLocaleString('en')}-chunk spool`, value: ui.available ? `${ui.rssMiB!.toFixed(0)} MiB` : 'n/a', note: ui.available ? undefined : ui.screen });
  details.push(`- render ui in \`tmux -L renderd-bench\` 120×40 on the full spool (${JOBS} active jobs): screen began «${ui.screen}»`);

  await removeDir(dir);
  return { rows, details };
}
