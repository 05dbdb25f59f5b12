// `render add SCENE.blend [--chunk N] [--frames SPEC] [--scene NAME] ...`: read the frame range and scene
// from the .blend itself (no Blender needed to submit), split into chunks, queue them.
import path from 'node:path';
import type { Command } from 'commander';
import type { Packed } from '../../project/pack/pack.js';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { addSchedulingOptions, schedulingOptions, type RawScheduling } from '../submit-options.js';
import { wakeAfterQueueing } from '../wake.js';
import { BLENDER_FORMATS, buildJobSpec } from '../../jobs/build.js';
import { submitJob, type Submitted } from '../../jobs/submit.js';
import type { FarmContext } from '../../claim/context.js';
import type { DependencyWarning } from '../../project/check.js';
import { UsageError } from '../../errors.js';
import { printable } from '../format.js';
import { planTiles, submitTiles, type SubmittedTiles } from '../../tiles/submit.js';

export interface RawAdd extends RawScheduling {
  scene?: string;
  output?: string;
  format?: string;
  overwrite: boolean;
  strict?: boolean;
  pack?: string;
  camera?: string;
  viewLayer?: string;
  enableAutoexec?: boolean;
  blender?: string;
  tiles?: string;
  overscan?: string;
  eachViewLayer?: boolean;
  eachCamera?: boolean;
  /** Set by --each-*: the group the job joins (not a flag of its own). */
  group?: string;
  json?: boolean;
}

export function registerAdd(program: Command, cli: Cli): void {
  const command = program.command('add')
    .description('queue a .blend: frame range and scene are read from the file')
    .argument('<scene.blend>')
    .option('--scene <name>', 'scene to render (default: the one the file renders)')
    .option('--output <pattern>', 'output path, # for frame digits (default: the scene\'s)')
    .option('--format <fmt>', `image format: ${BLENDER_FORMATS.slice(0, 6).join(', ')}, … (default: the scene's)`)
    .option('--no-overwrite', 'skip frames whose output already exists (resubmit to fill holes)')
    .option('--camera <name>', 'render through this camera object (checked against the file)')
    .option('--view-layer <name>', 'render only this view layer (checked against the file)')
    .option('--enable-autoexec', 'let the file\'s own scripts run (drivers, registered text blocks): Blender\'s -y; off by default')
    .option('--blender <version>', 'render with this Blender (MAJOR.MINOR): only nodes offering it take the job (default: any that opens the file)')
    .option('--tiles <colsxrows>', 'split each frame into tiles rendered as chunks of their own, then merged (e.g. 4x4)')
    .option('--overscan <px>', 'pixels each tile renders past its edges, cropped at the merge (default 16)')
    .option('--each-view-layer', 'one job per view layer of the file, named after it, output in <output dir>/<layer>/')
    .option('--each-camera', 'one job per camera object of the file, named after it, output in <output dir>/<camera>/')
    .option('--pack <dir>', 'copy the .blend and every file it uses into DIR (shared storage) and queue the copy')
    .option('--strict', 'refuse the job (exit 2) when a dependency is missing or other nodes cannot reach it');
  addSchedulingOptions(withCommonOptions(command, { json: true }));
  command.action(async (file: string, raw: RawAdd) => {
    const ctx = await openFarm(cli, command);
    let blend = file;
    let packed: Packed | undefined;
    if (raw.pack) {
      const { packBlend } = await import('../../project/pack/pack.js');
      packed = await packBlend(path.resolve(cli.io.cwd, file), path.resolve(cli.io.cwd, raw.pack));
      for (const warning of packed.warnings) cli.err(`render: warning: ${warning}`);
      blend = packed.file;
    }
    if (raw.eachViewLayer || raw.eachCamera) {
      const jobs = await submitEach(ctx, blend, raw, cli.io.cwd, (warnings) => reportWarnings(cli, warnings, raw.strict === true));
      await wakeAfterQueueing(ctx, (text) => cli.err(`render: ${text}`));
      if (raw.json) return cli.json({ group: jobs[0].group, jobs });
      for (const job of jobs) cli.out(`${job.id}  ${printable(job.name)}: ${job.frames} frame(s) in ${job.chunks} chunk(s)`);
      return cli.out(`group ${printable(jobs[0].group)}: ${jobs.length} job(s) (render wait ${printable(jobs[0].group)})`);
    }
    const submitted = await submitBlend(ctx, blend, raw, cli.io.cwd, (warnings) => reportWarnings(cli, warnings, raw.strict === true));
    await wakeAfterQueueing(ctx, (text) => cli.err(`render: ${text}`));
    if (raw.json) cli.json(packed ? { ...submitted, packed } : submitted);
    else if ('tiles' in submitted) cli.out(`${submitted.id}  ${printable(submitted.name)}: merges ${submitted.frames} frame(s) of ${submitted.tiles.cols}x${submitted.tiles.rows} tiles rendered by job ${submitted.tiles.id} (${submitted.tiles.chunks} chunk(s))`);
    else cli.out(`${submitted.id}  ${printable(submitted.name)}: scene ${printable(submitted.scene)}, ${submitted.frames} frame(s) in ${submitted.chunks} chunk(s)`);
  });
}

/**
 * Reads the .blend, checks every flag and, when `onWarnings` is given, every dependency; then queues
 * the job. Nothing is queued if anything is wrong (or if onWarnings throws).
 */
export async function submitBlend(
  ctx: FarmContext, blendFile: string, raw: RawAdd, cwd: string, onWarnings?: (warnings: DependencyWarning[]) => void,
): Promise<Submitted & { scene: string; file: string; warnings?: DependencyWarning[] } | SubmittedTiles> {
  if (raw.overscan !== undefined && raw.tiles === undefined) throw new UsageError('--overscan needs --tiles');
  const { spec, scene } = await buildJobSpec(ctx, {
    ...schedulingOptions(raw), blend: blendFile, scene: raw.scene, output: raw.output, format: raw.format, noOverwrite: raw.overwrite === false,
    ...(raw.camera !== undefined ? { camera: raw.camera } : {}), ...(raw.viewLayer !== undefined ? { viewLayer: raw.viewLayer } : {}),
    ...(raw.enableAutoexec ? { enableAutoexec: true } : {}),
    ...(raw.blender !== undefined ? { blender: raw.blender } : {}),
  }, { cwd, nowMs: Date.now() });
  const grid = raw.tiles !== undefined ? await planTiles(spec, { tiles: raw.tiles, overscan: raw.overscan }, scene!) : undefined;
  let warnings: DependencyWarning[] | undefined;
  if (onWarnings) {
    const { preflightBlend } = await import('../../project/preflight.js');
    warnings = await preflightBlend(ctx.layout.root, spec.file!, process.env);
    onWarnings(warnings);
  }
  if (raw.group !== undefined) spec.group = raw.group;
  const { rootedPaths } = await import('../../project/submit-paths.js');
  const rooted = { ...spec, ...(await rootedPaths(ctx.layout.root, spec, process.env)) };
  if (grid) return submitTiles(ctx, { spec: rooted, scene: scene! }, grid, schedulingOptions(raw), cwd, Date.now());
  const submitted = await submitJob(ctx, rooted);
  return { ...submitted, scene: scene!, file: spec.file!, ...(warnings ? { warnings } : {}) };
}

/** --each-view-layer / --each-camera: every job checked and built before the first is queued. */
async function submitEach(ctx: FarmContext, blendFile: string, raw: RawAdd, cwd: string, onWarnings: (warnings: DependencyWarning[]) => void) {
  const kind = raw.eachViewLayer ? 'view-layer' : 'camera';
  if (raw.eachViewLayer && raw.eachCamera) throw new UsageError('--each-view-layer and --each-camera: choose one');
  if (raw.eachViewLayer && raw.viewLayer !== undefined) throw new UsageError('--each-view-layer and --view-layer: choose one');
  if (raw.eachCamera && raw.camera !== undefined) throw new UsageError('--each-camera and --camera: choose one');
  const { spec } = await buildJobSpec(ctx, { ...schedulingOptions(raw), blend: blendFile, scene: raw.scene, output: raw.output, format: raw.format }, { cwd, nowMs: Date.now() });
  const { readRenderNames } = await import('../../blend/render-names.js');
  const { planEach } = await import('../../jobs/each.js');
  const names = await readRenderNames(spec.file!);
  const plan = planEach(kind, kind === 'camera' ? names.cameras : names.viewLayers, spec.name, spec.output, spec.file!);
  const jobs = [];
  for (const [i, job] of plan.entries()) {
    const target = kind === 'camera' ? { camera: job.target } : { viewLayer: job.target };
    // dependencies are checked once, with the first job
    const submitted = await submitBlend(ctx, blendFile, { ...raw, ...target, name: job.name, output: job.output, group: spec.name }, cwd, i === 0 ? onWarnings : undefined);
    jobs.push({ ...submitted, [kind === 'camera' ? 'camera' : 'viewLayer']: job.target, group: spec.name });
  }
  return jobs;
}

/** Warnings go to stderr, one line each; with --strict any of them refuses the job. */
function reportWarnings(cli: Cli, warnings: DependencyWarning[], strict: boolean): void {
  if (strict && warnings.length) {
    for (const warning of warnings) cli.err(`render: ${warning.message}`);
    throw new UsageError(`--strict: ${warnings.length} dependency problem(s), nothing queued`);
  }
  for (const warning of warnings) cli.err(`render: warning: ${warning.message}`);
}
