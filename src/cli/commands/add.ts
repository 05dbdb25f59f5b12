// `render add SCENE.blend [--chunk N] [--frames SPEC] [--scene NAME] ...`: read the frame range and scene
// from the .blend itself (no Blender needed to submit), split into chunks, queue them.
import path from 'node:path';
import type { Command } from 'commander';
import type { Packed } from '../../project/pack/pack.js';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { addSchedulingOptions } from '../submit-options.js';
import { wakeAfterQueueing } from '../../notify/index.js';
import { BLENDER_FORMATS } from '../../jobs/build.js';
import { blendInput, schedulingOptions, submitBlend, submitEach, type RawBlendOptions, type SubmissionEnv, type Tiler } from '../../jobs/submission/index.js';
import type { DependencyWarning } from '../../project/check.js';
import { UsageError } from '../../errors.js';
import { printable } from '../format.js';
import { planTiles, submitTiles, type SubmittedTiles } from '../../tiles/submit.js';
import type { TilePlan } from '../../tiles/submit.js';

/** What commander hands add's action: the pipeline's raw options and add's own flags. */
interface RawAdd extends RawBlendOptions {
  strict?: boolean;
  pack?: string;
  tiles?: string;
  overscan?: string;
  eachViewLayer?: boolean;
  eachCamera?: boolean;
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
    const env: SubmissionEnv = { cwd: cli.io.cwd, nowMs: Date.now(), env: process.env, onWarnings: (warnings) => reportWarnings(cli, warnings, raw.strict === true) };
    const tiler = tilerFor(raw, cli.io.cwd);
    if (raw.eachViewLayer || raw.eachCamera) {
      if (raw.eachViewLayer && raw.eachCamera) throw new UsageError('--each-view-layer and --each-camera: choose one');
      const jobs = await submitEach(ctx, blendInput(blend, raw), raw.eachViewLayer ? 'view-layer' : 'camera', env, tiler);
      await wakeAfterQueueing(ctx, (text) => cli.err(`render: ${text}`));
      if (raw.json) return cli.json({ group: jobs[0].group, jobs });
      for (const job of jobs) cli.out(`${job.id}  ${printable(job.name)}: ${job.frames} frame(s) in ${job.chunks} chunk(s)`);
      return cli.out(`group ${printable(jobs[0].group)}: ${jobs.length} job(s) (render wait ${printable(jobs[0].group)})`);
    }
    const submitted = await submitBlend(ctx, blendInput(blend, raw), env, { tiler });
    await wakeAfterQueueing(ctx, (text) => cli.err(`render: ${text}`));
    if (raw.json) cli.json(packed ? { ...submitted, packed } : submitted);
    else if ('tiles' in submitted) cli.out(`${submitted.id}  ${printable(submitted.name)}: merges ${submitted.frames} frame(s) of ${submitted.tiles.cols}x${submitted.tiles.rows} tiles rendered by job ${submitted.tiles.id} (${submitted.tiles.chunks} chunk(s))`);
    else cli.out(`${submitted.id}  ${printable(submitted.name)}: scene ${printable(submitted.scene)}, ${submitted.frames} frame(s) in ${submitted.chunks} chunk(s)`);
  });
}

/** The --tiles steps for the pipeline: the grid checked against the built job, then tile and merge jobs written. */
function tilerFor(raw: RawAdd, cwd: string): Tiler<TilePlan, SubmittedTiles> | undefined {
  if (raw.overscan !== undefined && raw.tiles === undefined) throw new UsageError('--overscan needs --tiles');
  if (raw.tiles === undefined) return undefined;
  const request = { tiles: raw.tiles, overscan: raw.overscan };
  return {
    plan: (built) => planTiles(built.spec, request, built.scene!),
    write: (ctx, prepared, grid) => submitTiles(ctx, prepared, grid, schedulingOptions(raw), cwd, Date.now()),
  };
}

/** Warnings go to stderr, one line each; with --strict any of them refuses the job. */
function reportWarnings(cli: Cli, warnings: DependencyWarning[], strict: boolean): void {
  if (strict && warnings.length) {
    for (const warning of warnings) cli.err(`render: ${warning.message}`);
    throw new UsageError(`--strict: ${warnings.length} dependency problem(s), nothing queued`);
  }
  for (const warning of warnings) cli.err(`render: warning: ${warning.message}`);
}
