// What the ui's keys do to the farm: the same library calls as `render priority|pause|resume|retry|
// remove` and `render node pause|drain|resume`. Each returns the line the status bar shows.
import type { FarmContext } from '../../claim/context.js';
import { removeJob, retryFailed, setPaused, setPriority } from '../../jobs/control.js';
import { readJob } from '../../jobs/read.js';
import { writeNodeControl } from '../../nodes/registry.js';
import { wakePeers } from '../../notify/index.js';
import { NotFoundError } from '../../errors.js';
import type { NodeControlRecord } from '../../spool/records.js';
import { clampPriority } from '../../jobs/submission/index.js';
import { submitBlendFile } from './submit-blend.js';

export interface FarmActions {
  changePriority(job: string, delta: number): Promise<string>;
  setPaused(job: string, paused: boolean): Promise<string>;
  retry(job: string): Promise<string>;
  remove(job: string): Promise<string>;
  controlNode(node: string, state: NodeControlRecord['state']): Promise<string>;
  addBlend(file: string): Promise<string>;
}

export function farmActions(ctx: FarmContext, cwd: string): FarmActions {
  const current = async (job: string) => {
    const record = await readJob(ctx, job);
    if (!record) throw new NotFoundError(`job ${job} is gone`);
    return record;
  };
  return {
    async changePriority(job, delta) {
      // from the record on the spool, not the screen: two quick presses make two steps
      const record = await current(job);
      const priority = clampPriority(record.priority + delta);
      const next = await setPriority(ctx, job, priority);
      await wakePeers(ctx);
      return `${next.name}: priority ${next.priority}`;
    },
    async setPaused(job, paused) {
      const next = await setPaused(ctx, job, paused);
      if (!paused) await wakePeers(ctx);
      return `${next.name}: ${paused ? 'paused' : 'resumed'}`;
    },
    async retry(job) {
      const record = await current(job);
      const count = await retryFailed(ctx, job);
      if (count > 0) await wakePeers(ctx);
      return `${record.name}: ${count} failed chunk(s) queued again`;
    },
    async remove(job) {
      const record = await current(job);
      await removeJob(ctx, job);
      return `${record.name}: removed`;
    },
    async controlNode(node, state) {
      await writeNodeControl(ctx.layout, node, state);
      return `${node}: ${state === 'running' ? 'resuming' : state} (the node acts on its next poll)`;
    },
    async addBlend(file) {
      const submitted = await submitBlendFile(ctx, file, cwd);
      return `${submitted.id}  ${submitted.name}: scene ${submitted.scene}, ${submitted.frames} frame(s) in ${submitted.chunks} chunk(s)`;
    },
  };
}
