// Every job ends: a job whose dependency failed or was removed ends failed (its reason names the
// dependency), and `render retry` of the dependency brings it back, with its own dependants.
import type { FarmContext } from '../claim/context.js';
import { listJobIds, readJob } from './read.js';

/** Retries, depth first, every job failed because of `job` (failedDependency), then theirs. */
export async function retryDependants(ctx: FarmContext, job: string, retry: (ctx: FarmContext, job: string) => Promise<number>, seen = new Set<string>([job])): Promise<string[]> {
  const revived: string[] = [];
  for (const id of await listJobIds(ctx)) {
    if (seen.has(id)) continue;
    // a job that cannot be read is not one we can bring back: it stays as it is
    const record = await readJob(ctx, id).catch(() => null);
    if (!record?.failedEarly || record.failedDependency !== job) continue;
    seen.add(id);
    await retry(ctx, id);
    revived.push(id, ...(await retryDependants(ctx, id, retry, seen)));
  }
  return revived;
}

/** Why a dependency keeps `job` from ever running, or null while it may still run. */
export function hopelessReason(after: readonly string[], stateOf: (id: string) => string): { dependency: string; reason: string } | null {
  for (const id of after) {
    const state = stateOf(id);
    if (state === 'removed') return { dependency: id, reason: `dependency ${id} was removed` };
    if (state === 'failed') return { dependency: id, reason: `dependency ${id} failed` };
  }
  return null;
}
