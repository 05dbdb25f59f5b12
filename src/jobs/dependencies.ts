// `--after JOB` (start when JOB is done) and `--after JOB:any` (when it ended either way).
import type { FarmContext } from '../claim/context.js';
import type { JobRecord } from '../spool/records.js';
import { UsageError } from '../errors.js';
import { countChunks, readJob } from './read.js';
import { deriveJobState, isFinished, type JobState } from './state.js';
import { resolveJobRef } from './summary.js';

export interface Dependencies {
  after: string[];
  afterAny: string[];
}

/** Resolves `--after` references (id, id prefix or name, optionally `:any`) to job ids. */
export async function resolveDependencies(ctx: FarmContext, refs: string[]): Promise<Dependencies> {
  const result: Dependencies = { after: [], afterAny: [] };
  for (const raw of refs) {
    const any = raw.endsWith(':any');
    const ref = any ? raw.slice(0, -4) : raw;
    let job: JobRecord;
    try {
      job = await resolveJobRef(ctx, ref);
    } catch (error) {
      throw new UsageError(`--after ${raw}: ${(error as Error).message}`);
    }
    (any ? result.afterAny : result.after).push(job.id);
  }
  return result;
}

/** A dependency's state, or `removed` when it is gone. */
export type DependencyState = JobState | 'removed';

/** Whether a job may start, given its dependencies' states: pure. */
export function dependenciesMet(job: Pick<JobRecord, 'after' | 'afterAny'>, stateOf: (id: string) => DependencyState): boolean {
  return job.after.every((id) => stateOf(id) === 'done')
    && (job.afterAny ?? []).every((id) => { const state = stateOf(id); return state === 'removed' || isFinished(state); });
}

export async function dependencyState(ctx: FarmContext, id: string): Promise<DependencyState> {
  try {
    const record = await readJob(ctx, id);
    if (!record) return 'removed';
    return deriveJobState(await countChunks(ctx, id), record);
  } catch {
    // a dependency that cannot be read now may read again: its dependants wait
    return 'broken';
  }
}

/** The jobs a job still waits for. */
export async function waitingFor(ctx: FarmContext, job: Pick<JobRecord, 'after' | 'afterAny'>): Promise<string[]> {
  // each dependency judged alone by the one rule, dependenciesMet
  const waiting: string[] = [];
  for (const id of job.after) {
    const state = await dependencyState(ctx, id);
    if (!dependenciesMet({ after: [id] }, () => state)) waiting.push(id);
  }
  for (const id of job.afterAny ?? []) {
    const state = await dependencyState(ctx, id);
    if (!dependenciesMet({ after: [], afterAny: [id] }, () => state)) waiting.push(id);
  }
  return waiting;
}
