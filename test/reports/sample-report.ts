// A farm's worth of stat lines for the chart tests: three nodes, three jobs over about two hours,
// with failures and one slow job, made deterministically (no randomness, no clock).
import { aggregateStats, type AttemptStat, type FarmReport } from '../../src/reports/index.js';
import { stat, T0 } from './fixtures.js';

export const SAMPLE_JOBS = [
  { job: '20240501-100000-aaaa', jobName: 'shot_010 <lighting> & "fog"', owner: 'ana', chunks: 24, secPerFrame: 30 },
  { job: '20240501-101500-bbbb', jobName: 'shot_020 comp', owner: 'ben', chunks: 16, secPerFrame: 55 },
  { job: '20240501-103000-cccc', jobName: 'bake fluids', owner: 'cy', chunks: 10, secPerFrame: 120 },
];
export const SAMPLE_NODES = [{ node: 'render-01', slots: 2 }, { node: 'render-02', slots: 2 }, { node: 'ws-ana', slots: 1 }];

export function sampleStats(): AttemptStat[] {
  const stats: AttemptStat[] = [];
  const free = SAMPLE_NODES.flatMap((n) => Array.from({ length: n.slots }, () => ({ node: n.node, slots: n.slots, at: 0 })));
  let k = 0;
  SAMPLE_JOBS.forEach((job, j) => {
    for (let c = 0; c < job.chunks; c++) {
      const slot = free.reduce((a, b) => (b.at < a.at ? b : a));
      const wobble = 0.75 + ((k++ * 0.6180339887) % 1) * 0.6;
      const failed = (c + j) % 9 === 4;
      const durS = Math.round(4 * job.secPerFrame * wobble * (failed ? 0.4 : 1));
      const start = Math.max(slot.at, j * 1500);
      slot.at = start + durS + 5;
      stats.push(stat({ job: job.job, jobName: job.jobName, owner: job.owner, chunk: String(c + 1).padStart(4, '0'), node: slot.node, slots: slot.slots,
        host: `${slot.node}.studio`, endS: start + durS, durS, outcome: failed ? 'failed' : 'done', error: failed ? 'render-blender: exit code 1' : undefined,
        framesDone: failed ? 1 : 4, peakMemMB: 600 + j * 900 + (c % 5) * 40, attempt: 1 }));
      if (failed) {
        const retry = free.reduce((a, b) => (b.at < a.at ? b : a));
        const retryDur = Math.round(4 * job.secPerFrame * wobble);
        const rStart = retry.at;
        retry.at = rStart + retryDur + 5;
        stats.push(stat({ job: job.job, jobName: job.jobName, owner: job.owner, chunk: String(c + 1).padStart(4, '0'), node: retry.node, slots: retry.slots,
          host: `${retry.node}.studio`, endS: rStart + retryDur, durS: retryDur, attempt: 2, peakMemMB: 700 + j * 900 }));
      }
    }
  });
  return stats;
}

export function sampleReport(): FarmReport {
  return aggregateStats(sampleStats(), { nowMs: T0 + 4 * 3600_000, knownNodes: [...SAMPLE_NODES, { node: 'spare-09', slots: 4 }] });
}
