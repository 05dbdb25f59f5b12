// What POST /api/… does to the farm: the same library calls as `render pause|resume|retry|remove|
// priority` and `render node pause|resume|drain`, with the same wake-ups. Returns one line for the page.
import type { FarmContext } from '../claim/context.js';
import { controlNode, stopJobChunks, wakePeers } from '../notify/index.js';
import { UsageError, NotFoundError } from '../errors.js';
import { removeJob, retryFailed, setPaused, setPriority } from '../jobs/control.js';
import { resolveJobRef } from '../jobs/summary.js';
import { parseBounded } from '../jobs/bounds.js';
import { readNodeRecords, writeNodeControl } from '../nodes/registry.js';
import type { JobAction, NodeAction } from './routes.js';

export interface ActionResult { id: string; result: string }

export async function runJobAction(ctx: FarmContext, ref: string, action: JobAction, body: Record<string, unknown>): Promise<ActionResult & Record<string, unknown>> {
  const job = await resolveJobRef(ctx, ref);
  switch (action) {
    case 'pause':
      await setPaused(ctx, job.id, true);
      await stopJobChunks(ctx, job.id, 'job paused');
      return { id: job.id, result: 'paused' };
    case 'resume':
      await setPaused(ctx, job.id, false);
      await wakePeers(ctx);
      return { id: job.id, result: 'resumed' };
    case 'retry': {
      const count = await retryFailed(ctx, job.id);
      await wakePeers(ctx);
      return { id: job.id, result: `${count} failed chunk(s) queued again` };
    }
    case 'remove':
      await removeJob(ctx, job.id);
      await stopJobChunks(ctx, job.id, 'job removed');
      return { id: job.id, result: 'removed' };
    case 'priority': {
      if (body.priority === undefined) throw new UsageError('priority needs a body {"priority": N}');
      const priority = parseBounded(String(body.priority), 'priority', 'priority');
      const next = await setPriority(ctx, job.id, priority);
      await wakePeers(ctx);
      return { id: job.id, result: `priority ${next.priority}`, priority: next.priority };
    }
  }
}

export async function runNodeAction(ctx: FarmContext, name: string, action: NodeAction): Promise<ActionResult & { state: string }> {
  const nodes = await readNodeRecords(ctx.layout, ctx.log);
  const node = nodes.get(name);
  if (!node) throw new NotFoundError(`no node '${name}' on this spool`);
  const state = action === 'pause' ? 'paused' : action === 'drain' ? 'draining' : 'running';
  await writeNodeControl(ctx.layout, name, state);
  await controlNode(ctx, node, action);
  return { id: name, result: state, state };
}
