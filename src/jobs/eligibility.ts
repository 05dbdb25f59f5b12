// Which jobs a node may take: pure functions of the job, the node and the time.
import type { JobRecord, NodeRecord } from '../spool/records.js';
import { deviceMismatch, type Device } from '../devices/devices.js';
import { blendersMisfit, offeredVersions, type OfferedBlender } from '../blender/fit.js';

export interface NodeTraits {
  name: string;
  pool?: string;
  tags: readonly string[];
  memTotalBytes: number;
  device?: Device;
  /** The Blenders it offers; undefined for a node that does not say (an older renderd): not judged. */
  blenders?: readonly OfferedBlender[];
}

/** Why this node can never run this job (pool, tags, memory, device, Blender), or null when it can. */
export function staticMismatch(job: JobRecord, node: NodeTraits): string | null {
  if (job.pool && job.pool !== node.pool) return `job wants pool ${job.pool}`;
  const missing = (job.tags ?? []).filter((tag) => !node.tags.includes(tag));
  if (missing.length) return `node lacks tag(s) ${missing.join(', ')}`;
  if (job.minRamBytes && node.memTotalBytes < job.minRamBytes) return `job wants ${job.minRamBytes} bytes of memory`;
  return deviceMismatch(job.device, node.device) ?? blendersMisfit(job, node.blenders);
}

/** A node's traits from its record; memory not reported yet counts as enough (it may well be). */
export function traitsOfRecord(record: NodeRecord | undefined, name: string): NodeTraits {
  return { name, pool: record?.pool, tags: record?.tags ?? [], memTotalBytes: record?.sys?.mem.total ?? Infinity, blenders: record?.blenders };
}

/** A record written this recently is a node a tool counts as live (a stopped node removes its record). */
export const RECENT_RECORD_MS = 60_000;

/** The traits of the nodes whose records are recent at `nowMs` (wall clock: a tool's hint, not a verdict). */
export function recentNodeTraits(records: Iterable<NodeRecord>, nowMs: number): NodeTraits[] {
  return [...records].filter((r) => nowMs - Date.parse(r.updatedAt) < RECENT_RECORD_MS).map((r) => traitsOfRecord(r, r.name));
}

/**
 * Why none of `nodes` can run `job`, in one line ("needs Blender ≥ 5.2; nodes have 3.4, 4.3"), or null
 * when one can, or when there is no node to judge by.
 */
export function noNodeRuns(job: JobRecord, nodes: readonly NodeTraits[]): string | null {
  if (nodes.length === 0) return null;
  const reasons = nodes.map((node) => staticMismatch(job, node));
  if (reasons.some((reason) => reason === null)) return null;
  const unique = [...new Set(reasons)].join('; ');
  return /Blender/.test(unique) ? `${unique}; nodes have ${offeredVersions(nodes.map((n) => n.blenders))}` : unique;
}

/** Failed chunks of a job on one node before that node stops taking the job (Flamenco's blocklist). */
export const BLOCKLIST_FAILURES = 2;

/**
 * Whether `node` is blocklisted for a job, given failures per node. When every live node is
 * blocklisted the list is ignored: better a doubtful node than a job that can never finish.
 */
export function isBlocklisted(node: string, failuresByNode: ReadonlyMap<string, number>, liveNodes: readonly string[]): boolean {
  if ((failuresByNode.get(node) ?? 0) < BLOCKLIST_FAILURES) return false;
  return liveNodes.some((other) => other !== node && (failuresByNode.get(other) ?? 0) < BLOCKLIST_FAILURES);
}

/** Failure markers are named `<node>~<chunk>~<attempt>`: counts per node from a listing. */
export function countFailuresByNode(names: readonly string[]): Map<string, number> {
  const counts = new Map<string, number>();
  for (const name of names) {
    const node = name.split('~')[0];
    if (node) counts.set(node, (counts.get(node) ?? 0) + 1);
  }
  return counts;
}
