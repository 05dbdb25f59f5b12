// Every job ends: one whose dependency failed or was removed fails, with the reason, once. The action the
// finder takes when job-rules.ts reports a job hopeless.
import type { FarmContext } from '../claim/context.js';
import { dependencyState, type DependencyState } from '../jobs/dependencies.js';
import { failJobEarly } from '../jobs/control.js';
import { hopelessReason } from '../jobs/dependants.js';
import { ignoreRemoved } from '../jobs/active.js';
import type { JobRecord } from '../spool/records.js';

/**
 * Fails `job` because of its first hopeless dependency, checked again fresh under its lock (a retry of the
 * dependency may have just brought it back); true if this call failed it.
 */
export async function failHopelessJob(ctx: FarmContext, job: JobRecord): Promise<boolean> {
  const why = async () => {
    const states = new Map<string, DependencyState>();
    for (const id of job.after) states.set(id, await dependencyState(ctx, id));
    return hopelessReason(job.after, (id) => states.get(id)!);
  };
  const first = await why();
  if (!first) return false;
  const stillTrue = async () => (await why())?.dependency === first.dependency;
  if (!(await ignoreRemoved(failJobEarly(ctx, job.id, { ...first, stillTrue }), false))) return false;
  ctx.log(`job ${job.id}: ${first.reason}: job failed, its chunks will not run (render retry ${first.dependency} brings it back)`);
  return true;
}
