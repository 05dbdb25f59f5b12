// A .blend through the pipeline, as `render add`, `render demo` and the ui's `a` key queue it: one job,
// one per view layer or camera (--each-*), or a tiled still. Tiling lives in tiles/, above this room,
// so its steps come in as a Tiler from the caller.
import type { FarmContext } from '../../claim/context.js';
import { UsageError } from '../../errors.js';
import type { DependencyWarning } from '../../project/check.js';
import { buildJobSpec, type BuiltJob } from '../build.js';
import { planEach } from '../each.js';
import type { BlendInput } from './raw-options.js';
import type { Submitted } from '../submit.js';
import { prepareJob, writeJob, type PreparedJob, type SubmissionEnv } from './pipeline.js';

/** A tiled still's two steps: its grid checked against the built job, then its tile and merge jobs written. */
export interface Tiler<G, T> {
  plan(built: BuiltJob): Promise<G>;
  write(ctx: FarmContext, prepared: PreparedJob & { scene: string }, grid: G): Promise<T>;
}

export type SubmittedBlend = Submitted & { scene: string; file: string; warnings?: DependencyWarning[] };

/** Reads the .blend, checks every option and (with env.onWarnings) every dependency, then queues the job. */
export async function submitBlend<G = never, T = never>(
  ctx: FarmContext, input: BlendInput, env: SubmissionEnv, options: { group?: string; tiler?: Tiler<G, T> } = {},
): Promise<SubmittedBlend | T> {
  return writeBlend(ctx, await prepareBlend(ctx, input, env, options));
}

interface PreparedBlend<G, T> { prepared: PreparedJob & { scene: string }; tiler?: Tiler<G, T>; grid?: G }

async function prepareBlend<G, T>(ctx: FarmContext, input: BlendInput, env: SubmissionEnv, options: { group?: string; tiler?: Tiler<G, T> }): Promise<PreparedBlend<G, T>> {
  const { tiler } = options;
  let grid: G | undefined;
  const prepared = await prepareJob(ctx, input, env, { group: options.group, check: tiler && (async (built) => { grid = await tiler.plan(built); }) });
  return { prepared: { ...prepared, scene: prepared.scene! }, tiler, grid };
}

async function writeBlend<G, T>(ctx: FarmContext, { prepared, tiler, grid }: PreparedBlend<G, T>): Promise<SubmittedBlend | T> {
  if (tiler) return tiler.write(ctx, prepared, grid!);
  const submitted = await writeJob(ctx, prepared);
  return { ...submitted, scene: prepared.scene, file: prepared.spec.file!, ...(prepared.warnings ? { warnings: prepared.warnings } : {}) };
}

/** --each-view-layer / --each-camera: every job checked and built before the first is queued. */
export async function submitEach<G, T>(
  ctx: FarmContext, input: BlendInput, kind: 'view-layer' | 'camera', env: SubmissionEnv, tiler?: Tiler<G, T>,
) {
  if (kind === 'view-layer' && input.viewLayer !== undefined) throw new UsageError('--each-view-layer and --view-layer: choose one');
  if (kind === 'camera' && input.camera !== undefined) throw new UsageError('--each-camera and --camera: choose one');
  const { spec } = await buildJobSpec(ctx, { ...input, camera: undefined, viewLayer: undefined, noOverwrite: undefined, enableAutoexec: undefined, blender: undefined }, env);
  const { readRenderNames } = await import('../../blend/render-names.js');
  const names = await readRenderNames(spec.file!);
  const plan = planEach(kind, kind === 'camera' ? names.cameras : names.viewLayers, spec.name, spec.output, spec.file!);
  const field = kind === 'camera' ? 'camera' : 'viewLayer';
  const ready = [];
  for (const [i, job] of plan.entries()) {
    // dependencies are checked once, with the first job
    const jobEnv = i === 0 ? env : { ...env, onWarnings: undefined };
    ready.push(await prepareBlend(ctx, { ...input, [field]: job.target, name: job.name, output: job.output }, jobEnv, { group: spec.name, tiler }));
  }
  const jobs = [];
  for (const [i, job] of plan.entries()) jobs.push({ ...(await writeBlend(ctx, ready[i])), [field]: job.target, group: spec.name });
  return jobs;
}
