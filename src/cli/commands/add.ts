// `render add SCENE.blend [--chunk N] [--frames SPEC] [--scene NAME] ...`: read the frame range and scene
// from the .blend itself (no Blender needed to submit), split into chunks, queue them.
import path from 'node:path';
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { addSchedulingOptions, packagePath, resolveScheduling, type RawScheduling } from '../submit-options.js';
import { wakePeers } from '../wake.js';
import { readBlendInfo, type BlendInfo, type BlendScene } from '../../blend/index.js';
import { formatFrameSpec, parseFrameSpec } from '../../frames/index.js';
import { submitJob, type Submitted } from '../../jobs/submit.js';
import type { FarmContext } from '../../claim/context.js';
import { UsageError } from '../../errors.js';

export interface RawAdd extends RawScheduling {
  scene?: string;
  output?: string;
  format?: string;
  overwrite: boolean;
  json?: boolean;
}

/** Blender's -F names (Blender 3.x–4.x); anything else is a typo worth catching before a night of renders. */
export const BLENDER_FORMATS = ['PNG', 'JPEG', 'JPEG2000', 'BMP', 'IRIS', 'TARGA', 'TARGA_RAW', 'CINEON', 'DPX', 'OPEN_EXR', 'OPEN_EXR_MULTILAYER', 'HDR', 'TIFF', 'WEBP', 'AVIJPEG', 'AVIRAW', 'FFMPEG'];

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
    const submitted = await submitBlend(ctx, path.resolve(cli.io.cwd, file), raw, cli.io.cwd);
    await wakePeers(ctx);
    if (raw.json) cli.json(submitted);
    else cli.out(`${submitted.id}  ${submitted.name}: scene ${submitted.scene}, ${submitted.frames} frame(s) in ${submitted.chunks} chunk(s)`);
  });
}

/** Reads the .blend, checks every flag, and queues the job; nothing is queued if anything is wrong. */
export async function submitBlend(ctx: FarmContext, blendFile: string, raw: RawAdd, cwd: string): Promise<Submitted & { scene: string; file: string }> {
  const info = await readBlendInfo(blendFile);
  const scene = pickScene(info, raw.scene);
  const format = raw.format?.toUpperCase() ?? scene.fileFormat ?? undefined;
  if (raw.format && !BLENDER_FORMATS.includes(format!)) throw new UsageError(`--format '${raw.format}' is not a Blender format (${BLENDER_FORMATS.join(', ')})`);
  const frames = parseFrameSpec(raw.frames ?? formatFrameSpec(sceneFrames(scene)));
  const scheduling = await resolveScheduling(ctx, raw, cwd, packagePath('hooks', 'blender'));
  const submitted = await submitJob(ctx, {
    ...scheduling,
    kind: 'blender',
    name: raw.name ?? `${path.basename(blendFile, '.blend')}${info.scenes.length > 1 ? `:${scene.name}` : ''}`,
    file: blendFile,
    scene: scene.name,
    output: raw.output ?? scene.output ?? undefined,
    format,
    frames,
    noOverwrite: raw.overwrite === false,
  });
  return { ...submitted, scene: scene.name, file: blendFile };
}

/** The scene asked for, else the one Blender renders by default (first REND block), else the first. */
export function pickScene(info: BlendInfo, wanted: string | undefined): BlendScene {
  const names = info.scenes.map((s) => s.name);
  if (wanted !== undefined) {
    const scene = info.scenes.find((s) => s.name === wanted);
    if (!scene) throw new UsageError(`${info.file} has no scene '${wanted}' (scenes: ${names.join(', ') || 'none'})`);
    return scene;
  }
  const rendered = info.renderScenes[0]?.name;
  const scene = info.scenes.find((s) => s.name === rendered) ?? info.scenes[0];
  if (!scene) throw new UsageError(`${info.file} has no scene to render`);
  return scene;
}

export function sceneFrames(scene: BlendScene): number[] {
  const frames: number[] = [];
  for (let f = scene.frameStart; f <= scene.frameEnd; f += Math.max(1, scene.frameStep)) frames.push(f);
  if (frames.length === 0) throw new UsageError(`scene '${scene.name}' ends (frame ${scene.frameEnd}) before it starts (frame ${scene.frameStart}): pass --frames`);
  return frames;
}
