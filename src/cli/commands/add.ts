// `render add SCENE.blend [--chunk N] [--frames SPEC] [--scene NAME] ...`: read the frame range and scene
// from the .blend itself (no Blender needed to submit), split into chunks, queue them.
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { addSchedulingOptions, schedulingOptions, type RawScheduling } from '../submit-options.js';
import { wakePeers } from '../wake.js';
import { BLENDER_FORMATS, buildJobSpec } from '../../jobs/build.js';
import { submitJob, type Submitted } from '../../jobs/submit.js';
import type { FarmContext } from '../../claim/context.js';

export interface RawAdd extends RawScheduling {
  scene?: string;
  output?: string;
  format?: string;
  overwrite: boolean;
  json?: boolean;
}

export function registerAdd(program: Command, cli: Cli): void {
  const command = program.command('add')
    .description('queue a .blend: frame range and scene are read from the file')
    .argument('<scene.blend>')
    .option('--scene <name>', 'scene to render (default: the one the file renders)')
    .option('--output <pattern>', 'output path, # for frame digits (default: the scene\'s)')
    .option('--format <fmt>', `image format: ${BLENDER_FORMATS.slice(0, 6).join(', ')}, … (default: the scene's)`)
    .option('--no-overwrite', 'skip frames whose output already exists (resubmit to fill holes)');
  addSchedulingOptions(withCommonOptions(command, { json: true }));
  command.action(async (file: string, raw: RawAdd) => {
    const ctx = await openFarm(cli, command);
    const submitted = await submitBlend(ctx, file, raw, cli.io.cwd);
    await wakePeers(ctx);
    if (raw.json) cli.json(submitted);
    else cli.out(`${submitted.id}  ${submitted.name}: scene ${submitted.scene}, ${submitted.frames} frame(s) in ${submitted.chunks} chunk(s)`);
  });
}

/** Reads the .blend, checks every flag, and queues the job; nothing is queued if anything is wrong. */
export async function submitBlend(ctx: FarmContext, blendFile: string, raw: RawAdd, cwd: string): Promise<Submitted & { scene: string; file: string }> {
  const { spec, scene } = await buildJobSpec(ctx, {
    ...schedulingOptions(raw), blend: blendFile, scene: raw.scene, output: raw.output, format: raw.format, noOverwrite: raw.overwrite === false,
  }, { cwd, nowMs: Date.now() });
  const submitted = await submitJob(ctx, spec);
  return { ...submitted, scene: scene!, file: spec.file! };
}
