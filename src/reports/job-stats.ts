// Per-job figures from the attempts in a report's window: a pure fold over stat lines.
import type { AttemptStat } from './stat-line.js';
import { boxSummary, type BoxSummary } from './distribution.js';
import { endMsOf, startMsOf } from './window.js';

export interface JobStats {
  job: string;
  name: string;
  owner: string;
  attempts: number;
  /** Distinct chunks with a done attempt. */
  chunksDone: number;
  /** Frames of the done attempts. */
  frames: number;
  failures: number;
  stopped: number;
  lost: number;
  /** Node time spent on the job, every attempt: the sum of monotonic durations. */
  renderMs: number;
  /** Wall time from the first attempt's start to the last one's end (nodes' clocks: display only). */
  spanMs: number;
  /** Done attempts' time per frame. */
  avgFrameMs: number | null;
  /** The slowest chunk's time per frame (stats are per chunk: a frame's own time is not known). */
  slowestFrameMs: number | null;
  peakMemMB: number | null;
  /** Time per frame of each done attempt, sorted: the distribution the charts draw. */
  frameTimesMs: number[];
  frameTimes: BoxSummary | null;
  nodes: string[];
  firstStart: string;
  lastEnd: string;
}

export function jobStatsOf(stats: AttemptStat[]): JobStats[] {
  const byJob = new Map<string, AttemptStat[]>();
  for (const stat of stats) {
    const list = byJob.get(stat.job);
    if (list) list.push(stat); else byJob.set(stat.job, [stat]);
  }
  return [...byJob.values()].map(foldJob).sort((a, b) => (a.firstStart < b.firstStart ? -1 : a.firstStart > b.firstStart ? 1 : a.job < b.job ? -1 : 1));
}

function foldJob(attempts: AttemptStat[]): JobStats {
  const latest = attempts.reduce((a, b) => (endMsOf(b) > endMsOf(a) ? b : a));
  const done = attempts.filter((a) => a.outcome === 'done');
  const frames = done.reduce((sum, a) => sum + a.frames, 0);
  const doneMs = done.reduce((sum, a) => sum + a.durationMs, 0);
  const frameTimesMs = done.filter((a) => a.frames > 0).map((a) => a.durationMs / a.frames).sort((x, y) => x - y);
  const mems = attempts.map((a) => a.peakMemMB).filter((m): m is number => m !== undefined);
  const startMs = attempts.reduce((min, a) => Math.min(min, startMsOf(a)), Infinity);
  const endMs = attempts.reduce((max, a) => Math.max(max, endMsOf(a)), -Infinity);
  const count = (outcome: AttemptStat['outcome']) => attempts.filter((a) => a.outcome === outcome).length;
  return {
    job: latest.job,
    name: latest.jobName,
    owner: latest.owner,
    attempts: attempts.length,
    chunksDone: new Set(done.map((a) => a.chunk)).size,
    frames,
    failures: count('failed'),
    stopped: count('stopped'),
    lost: count('lost'),
    renderMs: attempts.reduce((sum, a) => sum + a.durationMs, 0),
    spanMs: endMs - startMs,
    avgFrameMs: frames > 0 ? doneMs / frames : null,
    slowestFrameMs: frameTimesMs.length ? frameTimesMs[frameTimesMs.length - 1] : null,
    peakMemMB: mems.length ? mems.reduce((a, b) => Math.max(a, b)) : null,
    frameTimesMs,
    frameTimes: boxSummary(frameTimesMs),
    nodes: [...new Set(attempts.map((a) => a.node))].sort(),
    firstStart: new Date(startMs).toISOString(),
    lastEnd: new Date(endMs).toISOString(),
  };
}
