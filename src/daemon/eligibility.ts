// Which jobs a node may take: pure functions of the job, the node and the time.
import type { JobRecord } from '../spool/records.js';
import { deviceMismatch, type Device } from '../devices/devices.js';

export interface NodeTraits {
  name: string;
  pool?: string;
  tags: readonly string[];
  memTotalBytes: number;
  device?: Device;
}

/** Why this node can never run this job (pool, tags, memory), or null when it can. */
export function staticMismatch(job: JobRecord, node: NodeTraits): string | null {
  if (job.pool && job.pool !== node.pool) return `job wants pool ${job.pool}`;
  const missing = (job.tags ?? []).filter((tag) => !node.tags.includes(tag));
  if (missing.length) return `node lacks tag(s) ${missing.join(', ')}`;
  if (job.minRamBytes && node.memTotalBytes < job.minRamBytes) return `job wants ${job.minRamBytes} bytes of memory`;
  return deviceMismatch(job.device, node.device);
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
