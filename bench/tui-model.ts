// How long the ui's view model takes for a big farm: 1,000 jobs and 50 busy nodes, every job in one
// of the usual states, built from scratch as every refresh and key press does. Goal: under 50 ms.
// Run: npx tsc -p . && node dist/bench/tui-model.js
import { performance } from 'node:perf_hooks';
import { pathToFileURL } from 'node:url';
import type { JobSummary } from '../src/jobs/summary.js';
import type { NodeRecord } from '../src/spool/records.js';
import { buildScreen, type FarmSnapshot, type ScreenView } from '../src/tui/model/view.js';
import { INITIAL_STATE, type UiState } from '../src/tui/model/state.js';
import type { JobTiming } from '../src/tui/model/timing.js';
import { UNICODE_BARS } from '../src/tui/model/text.js';

export const BENCH_NOW_MS = Date.parse('2026-03-01T12:00:00.000Z');
const GIB = 1024 ** 3;
const iso = (ms: number) => new Date(ms).toISOString();

/** A spool's worth of summaries, timings and node records, deterministic for a given size. */
export function buildBigFarm(jobCount = 1000, nodeCount = 50): FarmSnapshot {
  const shapes = [{ queued: 80, running: 4, done: 16, failed: 0 }, { queued: 100, running: 0, done: 0, failed: 0 }, { queued: 0, running: 0, done: 100, failed: 0 },
    { queued: 0, running: 0, done: 90, failed: 10 }, { queued: 50, running: 0, done: 50, failed: 0 }];
  const jobs: JobSummary[] = [];
  const timings = new Map<string, JobTiming>();
  for (let i = 0; i < jobCount; i++) {
    const id = `j${String(i).padStart(11, '0')}`;
    const c = shapes[i % shapes.length];
    const paused = i % 11 === 0;
    const state = paused && c.queued + c.running > 0 ? 'paused' : c.running ? 'running' : c.queued ? 'queued' : c.failed ? 'failed' : 'done';
    jobs.push({ id, name: `shot_${i % 97}_v${i}`, owner: ['ana', 'bo', 'cy'][i % 3], kind: 'blender', state, priority: i % 7, paused, frames: '1-1000',
      createdAt: iso(BENCH_NOW_MS - 7_200_000 + i), chunks: { ...c, total: c.queued + c.running + c.done + c.failed } });
    timings.set(id, { doneMs: 40 * 60_000, doneCount: 40, firstStartMs: BENCH_NOW_MS - 7_200_000, lastEndMs: BENCH_NOW_MS - 1000, runningStartsMs: [BENCH_NOW_MS - 30_000, BENCH_NOW_MS - 50_000] });
  }
  const nodes: NodeRecord[] = Array.from({ length: nodeCount }, (_, i) => ({
    v: 1, name: `node${String(i).padStart(2, '0')}`, instance: `i${i}`, host: `node${i}.studio`, bootId: 'b', pidns: 'p', pid: 100 + i,
    startedAt: iso(BENCH_NOW_MS - 60_000), beat: 7, state: 'running', slots: 2, tags: [], updatedAt: iso(BENCH_NOW_MS),
    running: [{ job: jobs[i % jobCount].id, chunk: '0007', token: 't', attempt: 1, startedAt: iso(BENCH_NOW_MS - 30_000) }],
    sys: { cpus: 32, cpuPercent: 40 + (i % 60), load: [12.5, 11, 9.75], mem: { total: 128 * GIB, used: (20 + i) * GIB, available: (108 - i) * GIB }, swap: { total: 16 * GIB, used: (i % 8) * GIB } },
  }));
  return { spool: '/studio/spool', jobs, timings, nodes, nodeSilentMs: new Map(nodes.map((n) => [n.name, 0])) };
}

/** One build of the whole screen, as the ui does per refresh; a filter and the tall layout make it do everything. */
export function buildBigScreen(farm: FarmSnapshot, width = 200, height = 60, state: UiState = { ...INITIAL_STATE, filters: { ...INITIAL_STATE.filters, jobs: 'shot' } }): ScreenView {
  return buildScreen(farm, state, { width, height, nowMs: BENCH_NOW_MS, glyphs: UNICODE_BARS });
}

/** Median milliseconds of `runs` builds of the screen for 1,000 jobs and 50 nodes (after a warm-up). */
export function measureTuiModel(runs = 31, jobCount = 1000, nodeCount = 50): number {
  const farm = buildBigFarm(jobCount, nodeCount);
  for (let i = 0; i < 5; i++) buildBigScreen(farm);
  const times: number[] = [];
  for (let i = 0; i < runs; i++) {
    const start = performance.now();
    buildBigScreen(farm);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

if (import.meta.url === pathToFileURL(process.argv[1] ?? '').href) {
  const median = measureTuiModel();
  process.stdout.write(`tui view model, 1,000 jobs x 50 nodes: median ${median.toFixed(2)} ms per build (goal < 50 ms)\n`);
}
