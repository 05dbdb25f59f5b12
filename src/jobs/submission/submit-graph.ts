// Submitting a job graph (render submit, Spool.submit): every job goes through the pipeline up to the
// write first (nothing is queued if one is wrong), then they are written in dependency order, each
// naming the ids its dependencies got.
import type { FarmContext } from '../../claim/context.js';
import type { DependencyWarning } from '../../project/check.js';
import { orderGraph, splitDependencies, type Graph } from './graph.js';
import { prepareJob, writeJob, type SubmissionEnv } from './pipeline.js';

export interface SubmittedJob {
  ref: string;
  id: string;
  name: string;
  chunks: number;
  frames: number;
  /** A Blender job's dependency problems, when the caller asked for the check (onWarnings). */
  warnings?: DependencyWarning[];
}

export async function submitGraph(ctx: FarmContext, graph: Graph, env: SubmissionEnv): Promise<SubmittedJob[]> {
  const order = orderGraph(graph);
  const prepared = [];
  for (const job of order) {
    const { internal, external } = splitDependencies(job, graph);
    prepared.push({ job, internal, ready: await prepareJob(ctx, { ...job.input, after: external }, env) });
  }
  const ids = new Map<string, string>();
  const submitted: SubmittedJob[] = [];
  for (const { job, internal, ready } of prepared) {
    const { spec } = ready;
    const after = internal.filter((d) => !d.endsWith(':any')).map((d) => ids.get(d)!);
    const afterAny = internal.filter((d) => d.endsWith(':any')).map((d) => ids.get(d.slice(0, -4))!);
    const result = await writeJob(ctx, { ...ready, spec: { ...spec, after: [...spec.after, ...after], afterAny: [...(spec.afterAny ?? []), ...afterAny] } });
    ids.set(job.ref, result.id);
    submitted.push({ ref: job.ref, ...result, ...(ready.warnings?.length ? { warnings: ready.warnings } : {}) });
  }
  return submitted;
}
