// Telling nodes about changes at once instead of at their next poll: new work (wake), a paused or
// removed job (stop its chunks), a node control request. All best-effort: the spool stays the truth.
import fs from 'node:fs/promises';
import os from 'node:os';
import type { FarmContext } from '../claim/context.js';
import { readFarmKey, type RequestDraft } from '../peers/index.js';
import { readNodeRecords } from '../nodes/registry.js';
import { tellNodes } from '../nodes/tell.js';
import { currentIdentity } from '../nodes/host.js';
import type { NodeRecord } from '../spool/records.js';
import { errorMessage } from '../errors.js';
import { noteActiveChange } from '../jobs/active.js';
import { holdingDir, parseHoldingMark } from '../liveness/holding-marks.js';

async function tell(ctx: FarmContext, msg: RequestDraft, which: (node: NodeRecord) => boolean = () => true): Promise<void> {
  const nodes = [...(await readNodeRecords(ctx.layout, ctx.log)).values()].filter(which);
  if (nodes.length === 0) return;
  const teller = { key: await readFarmKey(ctx.layout.root), from: `render@${os.hostname()}`, self: currentIdentity() };
  await tellNodes(teller, nodes, msg);
}

/** New or re-queued work: local watchers see active/ change, every node gets a wake message. */
export async function wakePeers(ctx: FarmContext): Promise<void> {
  await noteActiveChange(ctx);
  await tell(ctx, { type: 'wake', body: {} });
}

/**
 * After jobs are queued: a wake-up that fails is a warning, never an error, since an error would invite
 * a second submission of a job that is already there. The nodes find it at their next poll.
 */
export async function wakeAfterQueueing(ctx: FarmContext, warn: (text: string) => void): Promise<void> {
  try {
    await wakePeers(ctx);
  } catch (error) {
    warn(`warning: queued, but the nodes could not be woken (${errorMessage(error)}): they start it at their next poll`);
  }
}

/**
 * A job paused or removed: the nodes running its chunks stop them now rather than at their next check.
 * A record lists a node's chunks as of its last beat (up to 2 s old), so every node that may hold a
 * chunk (its holding mark, made before any claim) is told too: one that just claimed one is not missed.
 */
export async function stopJobChunks(ctx: FarmContext, job: string, reason: string): Promise<void> {
  const marked = new Set((await fs.readdir(holdingDir(ctx.layout)).catch(() => [] as string[])).map((name) => parseHoldingMark(name)?.node));
  await tell(ctx, { type: 'stop-chunk', body: { job, reason } }, (node) => marked.has(node.name) || node.running.some((r) => r.job === job));
}

export async function controlNode(ctx: FarmContext, node: NodeRecord, action: 'pause' | 'resume' | 'drain'): Promise<void> {
  await tell(ctx, { type: 'node-control', body: { action } }, (n) => n.name === node.name);
}
