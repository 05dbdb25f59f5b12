// The web server (issue 27) on a 100,000-chunk spool: the farm page's data (< 1 s), a spool change
// reaching an open page (< 1 s), and the filesystem cost of 50 open pages against 1 (equal: one
// watcher per server), counted by strace as bench/idle.ts counts an idle node, over 20 s windows: a window holds
// whole polls, so one poll more or less (1 of 40) is the figure's grain.
import fs from 'node:fs';
import path from 'node:path';
import { spawn, type ChildProcess } from 'node:child_process';
import { QUICK, RENDER_BIN, epochMs, hasCommand, list, makeTempDir, median, ms, namesIn, removeDir, sleep, submitExec, waitFor, type BenchResult, type Row } from './support.js';
import { SPOOL_FS_CALLS, straceCounts } from './idle.js';

const JOBS = 10;
const CHUNKS = QUICK ? 1000 : 10_000;
const RUNS = QUICK ? 1 : 3;
const LATENCY_RUNS = QUICK ? 3 : 10;
const STRACE_SECONDS = QUICK ? 3 : 20;
const PAGES = 50;

interface Server { child: ChildProcess; url: string; stop(): Promise<void> }

async function startWeb(spool: string): Promise<Server> {
  const child = spawn(process.execPath, [RENDER_BIN, '--spool', spool, 'web', '--listen', '127.0.0.1:0'], { stdio: ['ignore', 'pipe', 'ignore'] });
  let out = '';
  child.stdout!.setEncoding('utf8').on('data', (t: string) => { out += t; });
  const exited = new Promise<void>((resolve) => child.once('exit', () => resolve()));
  const url = await waitFor('render web to serve', () => /on (http:\/\/\S+)\/\n/.exec(out)?.[1], 30_000, 20);
  return { child, url, async stop() { child.kill('SIGTERM'); await exited; } };
}

/** An event stream as a page holds it: calls `onEvent` with each event's type and parsed data. */
async function openStream(url: string, onEvent: (type: string, data: unknown) => void): Promise<AbortController> {
  const controller = new AbortController();
  const res = await fetch(`${url}/api/events`, { signal: controller.signal });
  void (async () => {
    let buffer = '';
    const decoder = new TextDecoder();
    try {
      for await (const chunk of res.body as unknown as AsyncIterable<Uint8Array>) {
        buffer += decoder.decode(chunk, { stream: true });
        for (let end = buffer.indexOf('\n\n'); end >= 0; end = buffer.indexOf('\n\n')) {
          const block = buffer.slice(0, end);
          buffer = buffer.slice(end + 2);
          const type = /^event: (.*)$/m.exec(block)?.[1];
          const data = /^data: (.*)$/m.exec(block)?.[1];
          if (type && data) onEvent(type, JSON.parse(data));
        }
      }
    } catch { /* aborted by the bench */ }
  })();
  return controller;
}

async function timed<T>(fn: () => Promise<T>): Promise<number> {
  const t0 = performance.now();
  await fn();
  return performance.now() - t0;
}

/** Half the jobs half done, as a farm in the middle of its night: chunk files moved queued/ → done/. */
function markHalfDone(spool: string, jobs: string[]): void {
  for (const job of jobs.slice(0, jobs.length / 2)) {
    const dir = path.join(spool, 'jobs', job);
    const names = namesIn(path.join(dir, 'queued')).filter((n) => n.endsWith('.json')).sort();
    for (const name of names.slice(0, names.length / 2)) fs.renameSync(path.join(dir, 'queued', name), path.join(dir, 'done', name));
  }
}

async function spoolFsPerSec(pid: number, workDir: string, label: string): Promise<{ perSec: number; getdents: number }> {
  const calls = await straceCounts(pid, STRACE_SECONDS, path.join(workDir, `${label}.strace`));
  let fsCalls = 0;
  for (const [call, n] of calls) if (SPOOL_FS_CALLS.has(call)) fsCalls += n;
  return { perSec: fsCalls / STRACE_SECONDS, getdents: (calls.get('getdents64') ?? 0) / STRACE_SECONDS };
}

export async function benchWeb(): Promise<BenchResult> {
  const dir = await makeTempDir('web');
  const spool = path.join(dir, 'spool');
  const rows: Row[] = [];
  const details: string[] = [];
  try {
    const jobs: string[] = [];
    for (let i = 0; i < JOBS; i++) jobs.push((await submitExec(spool, ['--frames', `1-${CHUNKS}`, '--chunk', '1', '--paused', '--name', `shot_${i}`], ['true'])).id);
    markHalfDone(spool, jobs);
    const chunks = JOBS * CHUNKS;
    // the farm page's data, cold: a fresh server, its first stream's snapshot (the first read of the spool)
    const cold: number[] = [];
    for (let run = 0; run < RUNS; run++) {
      const server = await startWeb(spool);
      let got: number | undefined;
      const t0 = performance.now();
      const stream = await openStream(server.url, (type) => { if (type === 'snapshot') got ??= performance.now() - t0; });
      cold.push(await waitFor('the snapshot', () => got, 30_000, 2));
      stream.abort();
      await server.stop();
    }
    const server = await startWeb(spool);
    try {
      const listMs: number[] = [];
      const jobMs: number[] = [];
      for (let run = 0; run < RUNS; run++) {
        listMs.push(await timed(async () => (await fetch(`${server.url}/api/jobs`)).json()));
        jobMs.push(await timed(async () => (await fetch(`${server.url}/api/jobs/${jobs[0]}`)).json()));
      }
      rows.push({ bench: 'web', metric: `farm page data, ${chunks.toLocaleString('en')} chunks (first snapshot, cold server)`, value: ms(median(cold)), goal: '< 1000 ms', pass: median(cold) < 1000 });
      rows.push({ bench: 'web', metric: 'GET /api/jobs (render list --json)', value: ms(median(listMs)) });
      rows.push({ bench: 'web', metric: `GET /api/jobs/ID, a ${CHUNKS.toLocaleString('en')}-chunk job`, value: ms(median(jobMs)) });
      details.push(`- spool: ${JOBS} jobs × ${CHUNKS} one-frame chunks = ${chunks} chunks, half the jobs half done (chunk files renamed to done/)`,
        `- first snapshot on a fresh \`render web\` (cold; the farm page's whole data): ${list(cold)} ms`,
        `- GET /api/jobs: ${list(listMs)} ms; GET /api/jobs/ID (${CHUNKS} chunk files read): ${list(jobMs)} ms`);

      // latency: a chunk file moved on the spool (what a node does) → the event at an open page
      const seen = new Map<string, number>();
      const stream = await openStream(server.url, (type, data) => {
        if (type !== 'farm') return;
        for (const job of (data as { jobs: { id: string; chunks: { done: number } }[] }).jobs) seen.set(`${job.id}:${job.chunks.done}`, epochMs());
      });
      await sleep(1500);
      const latencies: number[] = [];
      const job = jobs[jobs.length - 1];
      const queued = namesIn(path.join(spool, 'jobs', job, 'queued')).filter((n) => n.endsWith('.json')).sort();
      for (let run = 0; run < LATENCY_RUNS; run++) {
        const done = namesIn(path.join(spool, 'jobs', job, 'done')).filter((n) => n.endsWith('.json')).length;
        const t0 = epochMs();
        fs.renameSync(path.join(spool, 'jobs', job, 'queued', queued[run]), path.join(spool, 'jobs', job, 'done', queued[run]));
        latencies.push(await waitFor('the event', () => { const t = seen.get(`${job}:${done + 1}`); return t === undefined ? undefined : t - t0; }, 10_000, 2));
        // a random phase against the server's poll: right after an event, the next change waits a whole poll
        await sleep(Math.random() * 1000);
      }
      const worst = Math.max(...latencies);
      rows.push({ bench: 'web', metric: 'spool change → event at an open page (median)', value: ms(median(latencies)), goal: '< 1000 ms', pass: median(latencies) < 1000 });
      rows.push({ bench: 'web', metric: 'spool change → event at an open page (worst)', value: ms(worst), goal: '< 1000 ms', pass: worst < 1000 });
      details.push(`- latency, chunk file renamed queued/ → done/ until the page's event (${LATENCY_RUNS} runs): ${list(latencies)} ms`);

      if (!hasCommand('strace')) {
        details.push('- filer cost: not measured (no strace)');
        stream.abort();
      } else {
        // filer cost: the server's path/dir calls per second with 1 open page, then with 50
        const one = await spoolFsPerSec(server.child.pid!, dir, 'one');
        const more = await Promise.all(Array.from({ length: PAGES - 1 }, () => openStream(server.url, () => undefined)));
        await sleep(1500);
        const fifty = await spoolFsPerSec(server.child.pid!, dir, 'fifty');
        for (const s of [...more, stream]) s.abort();
        await sleep(1500);
        const none = await spoolFsPerSec(server.child.pid!, dir, 'none');
        const ratio = fifty.perSec / one.perSec;
        rows.push({ bench: 'web', metric: `filer cost of ${PAGES} open pages ÷ 1 (path/dir calls per second)`, value: `${ratio.toFixed(2)} (${fifty.perSec.toFixed(0)}/s ÷ ${one.perSec.toFixed(0)}/s)`, goal: '1 (≤ 1.1)', pass: ratio <= 1.1 });
        details.push(`- filer cost (strace -c -f, ${STRACE_SECONDS} s each, calls naming a path or reading a directory): 1 page ${one.perSec.toFixed(1)}/s (getdents64 ${one.getdents.toFixed(1)}/s), ${PAGES} pages ${fifty.perSec.toFixed(1)}/s (getdents64 ${fifty.getdents.toFixed(1)}/s), no page ${none.perSec.toFixed(1)}/s`);
      }
    } finally {
      await server.stop();
    }
  } finally {
    await removeDir(dir);
  }
  return { rows, details };
}
