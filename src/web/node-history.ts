// A short history of each node's CPU, memory and swap, one sample per heartbeat the server saw:
// kept in memory by the server that watches (the spool holds only the latest), so it starts when
// the first page opens. Pure steps; the watcher holds the map.
import type { NodeRecord } from '../spool/records.js';

/** Enough for a sparkline of the last minutes at one beat every few seconds. */
export const HISTORY_SAMPLES = 60;

export interface NodeSample {
  /** The node's updatedAt (its clock: for drawing only). */
  at: string;
  cpuPercent: number;
  /** Shares of total, 0..1. */
  mem: number;
  swap: number;
}

export function sampleOf(node: NodeRecord): NodeSample | undefined {
  const sys = node.sys;
  if (!sys) return undefined;
  return {
    at: node.updatedAt, cpuPercent: sys.cpuPercent,
    mem: sys.mem.total > 0 ? sys.mem.used / sys.mem.total : 0,
    swap: sys.swap.total > 0 ? sys.swap.used / sys.swap.total : 0,
  };
}

/** The histories after seeing these nodes: a sample is added when the node's record moved on. */
export function observeNodes(histories: Map<string, NodeSample[]>, nodes: readonly NodeRecord[]): Map<string, NodeSample[]> {
  const next = new Map<string, NodeSample[]>();
  for (const node of nodes) {
    const past = histories.get(node.name) ?? [];
    const sample = sampleOf(node);
    const moved = sample && past[past.length - 1]?.at !== sample.at;
    next.set(node.name, moved ? [...past, sample].slice(-HISTORY_SAMPLES) : past);
  }
  return next;
}
