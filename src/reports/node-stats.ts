// Per-node figures: busy time, chunks, failures, and utilisation = busy / (slots × window).
import type { AttemptStat } from './stat-line.js';
import { busyWithinMs, endMsOf, type ReportWindow } from './window.js';

export interface NodeStats {
  node: string;
  host: string;
  slots: number;
  attempts: number;
  chunksDone: number;
  frames: number;
  failures: number;
  /** Run time inside the window (an attempt that began before it counts from the window's start). */
  busyMs: number;
  /** busyMs / (slots × window length), 0…1. */
  utilisation: number;
  /** Utilisation per timeline bucket. */
  timeline: number[];
}

/** A node known from its registration: shown even when it ran nothing in the window. */
export interface KnownNode {
  node: string;
  host?: string;
  slots: number;
}

export function nodeStatsOf(stats: AttemptStat[], window: ReportWindow, known: KnownNode[] = []): NodeStats[] {
  const byNode = new Map<string, AttemptStat[]>();
  for (const stat of stats) {
    const list = byNode.get(stat.node);
    if (list) list.push(stat); else byNode.set(stat.node, [stat]);
  }
  for (const k of known) if (!byNode.has(k.node)) byNode.set(k.node, []);
  const knownByName = new Map(known.map((k) => [k.node, k]));
  return [...byNode.entries()].map(([node, attempts]) => foldNode(node, attempts, window, knownByName.get(node)))
    .sort((a, b) => (a.node < b.node ? -1 : 1));
}

function foldNode(node: string, attempts: AttemptStat[], window: ReportWindow, known: KnownNode | undefined): NodeStats {
  // the slots the node ran with most recently: its last line, else its registration
  const latest = attempts.length ? attempts.reduce((a, b) => (endMsOf(b) >= endMsOf(a) ? b : a)) : undefined;
  const slots = Math.max(1, latest?.slots ?? known?.slots ?? 1);
  const done = attempts.filter((a) => a.outcome === 'done');
  const busyMs = attempts.reduce((sum, a) => sum + busyWithinMs(a, window.startMs, window.endMs), 0);
  const timeline = window.buckets.map((from) => {
    const to = from + window.bucketMs;
    const busy = attempts.reduce((sum, a) => sum + busyWithinMs(a, from, to), 0);
    return clamp01(busy / (slots * window.bucketMs));
  });
  return {
    node,
    host: latest?.host ?? known?.host ?? '',
    slots,
    attempts: attempts.length,
    chunksDone: done.length,
    frames: done.reduce((sum, a) => sum + a.frames, 0),
    failures: attempts.filter((a) => a.outcome === 'failed').length,
    busyMs,
    utilisation: clamp01(busyMs / (slots * (window.endMs - window.startMs))),
    timeline,
  };
}

/** Clocks of different nodes and rounding can push a ratio a hair past 1. */
const clamp01 = (x: number) => (Number.isFinite(x) ? Math.max(0, Math.min(1, x)) : 0);
