// Records for the ui's tests: a job summary, a chunk, a node, and a farm of any size.
import type { ChunkSummary, JobSummary } from '../../src/jobs/summary.js';
import type { ChunkCounts } from '../../src/jobs/read.js';
import { deriveJobState } from '../../src/jobs/state.js';
import type { NodeRecord } from '../../src/spool/records.js';
import type { FarmSnapshot } from '../../src/tui/model/view.js';

export const NOW_MS = Date.parse('2026-03-01T12:00:00.000Z');
export const iso = (ms: number) => new Date(ms).toISOString();
export const GIB = 1024 ** 3;

export function counts(partial: Partial<ChunkCounts>): ChunkCounts {
  const c = { queued: 0, running: 0, done: 0, failed: 0, ...partial };
  return { ...c, total: c.queued + c.running + c.done + c.failed };
}

export function job(id: string, partial: Partial<Omit<JobSummary, 'chunks'>> & { chunks?: Partial<ChunkCounts> } = {}): JobSummary {
  const chunks = counts(partial.chunks ?? { queued: 10 });
  const paused = partial.paused ?? false;
  return {
    id, name: `job-${id}`, owner: 'ana', kind: 'exec', priority: 0, frames: '1-100', createdAt: iso(NOW_MS - 3_600_000),
    ...partial, paused, chunks, state: partial.state ?? deriveJobState(chunks, paused),
  };
}

export function chunk(id: string, partial: Partial<ChunkSummary> = {}): ChunkSummary {
  return { id, frames: [1, 2, 3, 4, 5], state: 'queued', attempt: 0, failures: 0, ...partial };
}

export function node(name: string, partial: Partial<NodeRecord> = {}): NodeRecord {
  return {
    v: 1, name, instance: `i-${name}`, host: `${name}.studio`, bootId: 'b', pidns: 'p', pid: 100, startedAt: iso(NOW_MS - 60_000),
    beat: 1, state: 'running', slots: 2, tags: [], running: [], updatedAt: iso(NOW_MS),
    sys: { cpus: 16, cpuPercent: 50, load: [4.2, 3.1, 2], mem: { total: 64 * GIB, used: 16 * GIB, available: 48 * GIB }, swap: { total: 8 * GIB, used: 1 * GIB } },
    ...partial,
  };
}

export function snapshot(partial: Partial<FarmSnapshot> = {}): FarmSnapshot {
  return { spool: '/farm/spool', jobs: [], timings: new Map(), nodes: [], nodeSilentMs: new Map(), ...partial };
}
