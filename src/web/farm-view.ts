// What the farm page shows, built from one read of the spool (the tui's Overview): jobs with their
// progress and ETA, nodes with their load and a short history. Pure: the clock is passed in.
import { parseFrameSpec } from '../frames/index.js';
import type { JobSummary } from '../jobs/summary.js';
import type { NodeRecord } from '../spool/records.js';
import type { Overview } from '../tui/farm/reader.js';
import { NODE_SILENT_MS } from '../tui/model/nodes.js';
import { EMPTY_TIMING, estimateJob } from '../tui/model/timing.js';
import type { NodeSample } from './node-history.js';

export interface JobRow extends JobSummary {
  framesTotal: number;
  /** Frames of done chunks (chunks are equal but for the last: done/total of the frames). */
  framesDone: number;
  etaMs?: number;
  elapsedMs?: number;
}

export interface NodeRow {
  name: string;
  host: string;
  /** The node's own state, or `silent` when its heartbeat stood still NODE_SILENT_MS on our clock. */
  state: NodeRecord['state'] | 'silent';
  pool?: string;
  tags: string[];
  slots: number;
  running: { job: string; chunk: string; attempt: number; startedAt: string }[];
  sys?: NodeRecord['sys'];
  history: NodeSample[];
}

export interface FarmView {
  at: string;
  jobs: JobRow[];
  nodes: NodeRow[];
}

/** A frame spec's length, parsed once per distinct spec (a spool holds a few). */
const frameCounts = new Map<string, number>();
function countFrames(spec: string): number {
  let count = frameCounts.get(spec);
  if (count === undefined) {
    try { count = parseFrameSpec(spec).length; } catch { count = 0; } // a broken job's spec: no frames to show
    if (frameCounts.size > 10_000) frameCounts.clear();
    frameCounts.set(spec, count);
  }
  return count;
}

export function toJobRow(job: JobSummary, overview: Overview, nowMs: number): JobRow {
  const estimate = estimateJob(job.chunks, job.state, overview.timings.get(job.id) ?? EMPTY_TIMING, nowMs);
  const framesTotal = countFrames(job.frames);
  const framesDone = job.chunks.total > 0 ? Math.round((framesTotal * job.chunks.done) / job.chunks.total) : 0;
  return { ...job, framesTotal, framesDone, etaMs: estimate.etaMs, elapsedMs: estimate.elapsedMs };
}

export function toNodeRow(node: NodeRecord, silentMs: number, history: NodeSample[]): NodeRow {
  return {
    name: node.name, host: node.host, state: silentMs >= NODE_SILENT_MS ? 'silent' : node.state,
    pool: node.pool, tags: node.tags, slots: node.slots,
    running: node.running.map((r) => ({ job: r.job, chunk: r.chunk, attempt: r.attempt, startedAt: r.startedAt })),
    sys: node.sys, history,
  };
}

export function buildFarmView(overview: Overview, histories: ReadonlyMap<string, NodeSample[]>, nowMs: number): FarmView {
  return {
    at: new Date(nowMs).toISOString(),
    jobs: overview.jobs.map((job) => toJobRow(job, overview, nowMs)),
    nodes: overview.nodes.map((n) => toNodeRow(n, overview.nodeSilentMs.get(n.name) ?? 0, histories.get(n.name) ?? []))
      .sort((a, b) => a.name.localeCompare(b.name)),
  };
}

/** What changed between two views, by id: what an event carries so a page patches, not reloads. */
export interface FarmChanges {
  jobs: JobRow[];
  removedJobs: string[];
  nodes: NodeRow[];
  removedNodes: string[];
}

export function diffFarmViews(before: FarmView | undefined, after: FarmView): FarmChanges {
  const changed = <T extends { id?: string; name?: string }>(a: T[], b: T[], key: (x: T) => string) => {
    const old = new Map(a.map((x) => [key(x), JSON.stringify(x)]));
    const now = new Set(b.map(key));
    return { changed: b.filter((x) => old.get(key(x)) !== JSON.stringify(x)), removed: [...old.keys()].filter((k) => !now.has(k)) };
  };
  // ETA and elapsed move with the clock alone: they ride along with a real change, never make one
  const stable = (rows: JobRow[]) => rows.map(({ etaMs, elapsedMs, ...rest }) => rest as JobRow);
  const jobDiff = changed(stable(before?.jobs ?? []), stable(after.jobs), (j) => j.id);
  const changedIds = new Set(jobDiff.changed.map((j) => j.id));
  const nodeDiff = changed(before?.nodes ?? [], after.nodes, (n) => n.name);
  return { jobs: after.jobs.filter((j) => changedIds.has(j.id)), removedJobs: jobDiff.removed, nodes: nodeDiff.changed, removedNodes: nodeDiff.removed };
}

export function isEmptyChange(c: FarmChanges): boolean {
  return c.jobs.length + c.removedJobs.length + c.nodes.length + c.removedNodes.length === 0;
}
