// One submission pipeline for every way a job comes in (render add/exec/submit, the ui, Spool.submit):
// input normalized and checked into a spec (build.ts) → paths under project roots also stored in
// their root form → the .blend's dependencies preflighted → written to the spool. Nothing is written
// until every step of every job has passed.
import type { FarmContext } from '../../claim/context.js';
import type { DependencyWarning } from '../../project/check.js';
import { rootedPaths } from '../../project/submit-paths.js';
import { buildJobSpec, type BuiltJob, type JobInput } from '../build.js';
import { submitJob, type JobSpec, type Submitted } from '../submit.js';

export interface SubmissionEnv {
  /** Relative paths (the .blend, --output, --hooks, ./program) are from here. */
  cwd: string;
  nowMs: number;
  /** RENDER_NODE and RENDER_PROJECT_ROOTS: which folder of each project root is this machine's. */
  env: NodeJS.ProcessEnv;
  /** Given: a Blender job's dependencies are checked and the warnings handed here (it may throw to refuse the job). */
  onWarnings?: (warnings: DependencyWarning[]) => void;
}

export interface PreparedJob {
  spec: JobSpec;
  /** The scene a Blender job renders. */
  scene?: string;
  warnings?: DependencyWarning[];
}

export interface PrepareSteps {
  /** A further check of the built spec before paths and dependencies (a tiled job's grid). */
  check?: (built: BuiltJob) => Promise<void>;
  /** The group the job joins (--each-view-layer, --each-camera). */
  group?: string;
}

/** Every step short of writing: a job that comes out of here is queued as it is. */
export async function prepareJob(ctx: FarmContext, input: JobInput, env: SubmissionEnv, steps: PrepareSteps = {}): Promise<PreparedJob> {
  const built = await buildJobSpec(ctx, input, env);
  await steps.check?.(built);
  const spec: JobSpec = { ...built.spec, ...(steps.group !== undefined ? { group: steps.group } : {}) };
  Object.assign(spec, await rootedPaths(ctx.layout.root, spec, env.env));
  const warnings = env.onWarnings && spec.kind === 'blender' ? await preflight(ctx, spec, env) : undefined;
  return { spec, ...(built.scene !== undefined ? { scene: built.scene } : {}), ...(warnings ? { warnings } : {}) };
}

async function preflight(ctx: FarmContext, spec: JobSpec, env: SubmissionEnv): Promise<DependencyWarning[]> {
  // the dependency walker loads only when asked for: the ui's `a` key and render exec start faster
  const { preflightBlend } = await import('../../project/preflight.js');
  const warnings = await preflightBlend(ctx.layout.root, spec.file!, env.env);
  env.onWarnings!(warnings);
  return warnings;
}

/** The last step: the prepared job written to the spool, its id taken at the write (ids sort by submission). */
export function writeJob(ctx: FarmContext, prepared: PreparedJob): Promise<Submitted> {
  return submitJob(ctx, prepared.spec);
}

/** One job through the whole pipeline. */
export async function submitOne(ctx: FarmContext, input: JobInput, env: SubmissionEnv): Promise<Submitted & { scene?: string; warnings?: DependencyWarning[] }> {
  const prepared = await prepareJob(ctx, input, env);
  const submitted = await writeJob(ctx, prepared);
  return { ...submitted, ...(prepared.scene !== undefined ? { scene: prepared.scene } : {}), ...(prepared.warnings ? { warnings: prepared.warnings } : {}) };
}
