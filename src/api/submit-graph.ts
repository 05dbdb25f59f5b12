// Submitting a job graph: every job is built and checked first (nothing is queued if one is wrong),
// then submitted in dependency order, each naming the ids its dependencies got.
import type { FarmContext } from '../claim/context.js';
import { buildJobSpec, type BuildEnv } from '../jobs/build.js';
import { submitJob } from '../jobs/submit.js';
import { orderGraph, splitDependencies, type Graph } from './graph.js';

export interface SubmittedJob {
  ref: string;
  id: string;
  name: string;
  chunks: number;
  frames: number;
}

export async function submitGraph(ctx: FarmContext, graph: Graph, env: BuildEnv): Promise<SubmittedJob[]> {
  const order = orderGraph(graph);
  const built = [];
  for (const job of order) {
    const { internal, external } = splitDependencies(job, graph);
    built.push({ job, internal, spec: (await buildJobSpec(ctx, { ...job.input, after: external }, env)).spec });
  }
  const ids = new Map<string, string>();
  const submitted: SubmittedJob[] = [];
  for (const { job, internal, spec } of built) {
    const after = internal.filter((d) => !d.endsWith(':any')).map((d) => ids.get(d)!);
    const afterAny = internal.filter((d) => d.endsWith(':any')).map((d) => ids.get(d.slice(0, -4))!);
    const result = await submitJob(ctx, { ...spec, after: [...spec.after, ...after], afterAny: [...(spec.afterAny ?? []), ...afterAny] });
    ids.set(job.ref, result.id);
    submitted.push({ ref: job.ref, ...result });
  }
  return submitted;
}
