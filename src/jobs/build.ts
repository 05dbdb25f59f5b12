// From job options — CLI flags, the TypeScript API or a job graph file — to a validated job spec.
// Everything is checked before anything is queued: frames, numbers, the .blend, dependencies, licence, hooks.
import { parseJobDevice } from '../devices/devices.js';
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import type { FarmContext } from '../claim/context.js';
import { UsageError } from '../errors.js';
import { DEFAULT_CHUNK_SIZE, formatFrameSpec, parseFrameSpec } from '../frames/index.js';
import { validateHookDir } from '../hooks/discover.js';
import { defaultHooksDir, PROJECT_HOOKS_DIR } from '../hooks/defaults.js';
import type { BlendInfo, BlendScene } from '../blend/index.js';
import { compareVersions, majorMinor } from '../blender/fit.js';
import { requireLicense } from '../licenses/index.js';
import { resolveDependencies } from './dependencies.js';
import { refuseOutputInSpool, resolveCommand, resolveOutputPattern } from './paths.js';
import type { JobSpec } from './submit.js';
import { parseBytes, parseDuration, parseStartAt } from './values.js';
import { checkPoolName, parseBounded, type BoundedOption } from './bounds.js';

export const DEFAULT_RETRIES = 2;

/** Blender's -F names (Blender 3.x–4.x); anything else is a typo worth catching before a night of renders. */
export const BLENDER_FORMATS = ['PNG', 'JPEG', 'JPEG2000', 'BMP', 'IRIS', 'TARGA', 'TARGA_RAW', 'CINEON', 'DPX', 'OPEN_EXR', 'OPEN_EXR_MULTILAYER', 'HDR', 'TIFF', 'WEBP', 'AVIJPEG', 'AVIRAW', 'FFMPEG'];

type Whole = number | string;
type Duration = number | string;

/** Options of a job. Numbers may be given as the strings a user typed; durations as ms or `5m`. */
export interface JobOptions {
  name?: string;
  frames?: string;
  chunk?: Whole;
  priority?: Whole;
  pool?: string;
  tags?: string[] | string;
  /** Job ids, id prefixes or names; `JOB:any` waits for the job to end either way. */
  after?: string[];
  minRam?: Whole;
  maxNodes?: Whole;
  startAt?: number | string | Date;
  license?: string;
  retries?: Whole;
  retryDelay?: Duration;
  timeout?: Duration;
  silenceTimeout?: Duration;
  maxFailed?: Whole;
  paused?: boolean;
  /** `gpu`: only nodes with a GPU device; `cpu`: rendered on the CPU. */
  device?: string;
  /** Hook folder (default: ./renderd-hooks if present, else the package's). */
  hooks?: string;
  // Blender jobs
  scene?: string;
  output?: string;
  format?: string;
  noOverwrite?: boolean;
  /** Camera object to render through, checked against the file. */
  camera?: string;
  /** The one view layer to render, checked against the file. */
  viewLayer?: string;
  /** `--enable-autoexec`: let the .blend's scripts run (Blender's `-y`), cold and warm; off by default, as in Blender. */
  enableAutoexec?: boolean;
  /** major.minor of the Blender to render with: only nodes offering it take the job. */
  blender?: string;
}

export type JobInput = JobOptions & ({ blend: string; command?: undefined } | { command: string[]; blend?: undefined });

export const JOB_INPUT_KEYS = new Set<string>(['blend', 'command', 'name', 'frames', 'chunk', 'priority', 'pool', 'tags', 'after', 'minRam', 'maxNodes', 'startAt', 'license', 'retries', 'retryDelay', 'timeout', 'silenceTimeout', 'maxFailed', 'paused', 'hooks', 'scene', 'output', 'format', 'noOverwrite', 'camera', 'viewLayer', 'enableAutoexec', 'device', 'blender']);

export interface BuildEnv {
  cwd: string;
  nowMs: number;
}

export interface BuiltJob {
  spec: JobSpec;
  /** The scene a Blender job renders. */
  scene?: string;
}

const whole = (value: Whole | undefined, key: BoundedOption) =>
  value === undefined ? undefined : parseBounded(value, key, `--${flagName(key)}`);

const duration = (value: Duration | undefined, key: string) =>
  value === undefined ? undefined : typeof value === 'number' ? checkMs(value, key) : parseDuration(value, `--${flagName(key)}`);

function checkMs(value: number, key: string): number {
  if (!Number.isFinite(value) || value < 0) throw new UsageError(`--${flagName(key)} must be a duration, got ${value}`);
  return Math.round(value);
}

/** `maxNodes` → `max-nodes`: messages name the flag a user would type. */
function flagName(key: string): string {
  return key.replace(/[A-Z]/g, (c) => `-${c.toLowerCase()}`);
}

export async function buildJobSpec(ctx: FarmContext, input: JobInput, env: BuildEnv): Promise<BuiltJob> {
  const unknown = Object.keys(input).filter((key) => !JOB_INPUT_KEYS.has(key));
  if (unknown.length) throw new UsageError(`unknown job option(s): ${unknown.join(', ')}`);
  if ((input.blend === undefined) === (input.command === undefined)) throw new UsageError('a job needs either a .blend file or a command');
  if (input.command !== undefined && (!Array.isArray(input.command) || input.command.length === 0 || input.command.some((a) => typeof a !== 'string'))) {
    throw new UsageError('a command job needs a command: a non-empty list of strings');
  }
  const common = await buildCommon(ctx, input, env);
  if (input.command) {
    const frames = parseFrameSpec(input.frames ?? '1');
    const command = resolveCommand(input.command, env.cwd);
    return { spec: { ...common, kind: 'exec', name: input.name ?? input.command.join(' ').slice(0, 80), command, frames, noOverwrite: false, hooksDir: await hooksFor(input, env, 'exec') } };
  }
  const blendFile = path.resolve(env.cwd, input.blend!);
  // the .blend reader (and its zstd decoder) loads only for blender jobs: render exec starts faster
  const { readBlendInfo } = await import('../blend/index.js');
  const { denoisesWithOidn } = await import('../blend/denoise.js');
  const info = await readBlendInfo(blendFile);
  const scene = pickScene(info, input.scene);
  const format = input.format?.toUpperCase() ?? scene.fileFormat ?? undefined;
  if (input.format && !BLENDER_FORMATS.includes(format!)) throw new UsageError(`--format '${input.format}' is not a Blender format (${BLENDER_FORMATS.join(', ')})`);
  const frames = parseFrameSpec(input.frames ?? formatFrameSpec(sceneFrames(scene)));
  if (input.camera !== undefined || input.viewLayer !== undefined) await checkRenderNames(blendFile, input.camera, input.viewLayer);
  const output = resolveOutputPattern(input.output ?? scene.output ?? undefined, env.cwd);
  await refuseOutputInSpool(output, blendFile, ctx.layout.root);
  return {
    scene: scene.name,
    spec: {
      ...common,
      kind: 'blender',
      name: input.name ?? `${path.basename(blendFile, '.blend')}${info.scenes.length > 1 ? `:${scene.name}` : ''}`,
      file: blendFile,
      scene: scene.name,
      output,
      format,
      frames,
      noOverwrite: Boolean(input.noOverwrite),
      ...(input.camera !== undefined ? { camera: input.camera } : {}),
      ...(input.viewLayer !== undefined ? { viewLayer: input.viewLayer } : {}),
      ...(input.enableAutoexec ? { autoexec: true } : {}),
      ...blenderNeeds(info.file, info.version, input.blender),
      ...(scene.engine === 'CYCLES' && await denoisesWithOidn(blendFile, scene.name, info.versionNumber) ? { needsOidn: true } : {}),
      hooksDir: await hooksFor(input, env, 'blender'),
    },
  };
}

/** The Blender a job needs: at least the one that saved the file; exactly the pinned one, which must open it. */
function blenderNeeds(file: string, savedBy: string, pin: string | undefined): { blenderNeeds?: string; blenderPin?: string } {
  const needs = majorMinor(savedBy);
  if (pin === undefined) return needs ? { blenderNeeds: needs } : {};
  if (!/^\d+\.\d+$/.test(pin)) throw new UsageError(`--blender takes a Blender version as MAJOR.MINOR (e.g. 4.5), got '${pin}'`);
  if (needs && compareVersions(pin, needs) < 0) throw new UsageError(`--blender ${pin}: ${file} was saved by Blender ${savedBy}, which ${pin} cannot open`);
  return { ...(needs ? { blenderNeeds: needs } : {}), blenderPin: pin };
}

type Common = Omit<JobSpec, 'kind' | 'name' | 'command' | 'file' | 'scene' | 'output' | 'format' | 'frames' | 'noOverwrite' | 'hooksDir'>;

async function buildCommon(ctx: FarmContext, input: JobOptions, env: BuildEnv): Promise<Common> {
  checkPoolName(input.pool);
  const tags = typeof input.tags === 'string' ? input.tags.split(',').map((t) => t.trim()).filter(Boolean) : input.tags;
  const dependencies = await resolveDependencies(ctx, input.after ?? []);
  if (input.license !== undefined) await requireLicense(ctx, input.license);
  const startAt = input.startAt instanceof Date ? input.startAt.getTime()
    : typeof input.startAt === 'string' ? parseStartAt(input.startAt, '--start-at', env.nowMs) : input.startAt;
  return {
    chunkSize: whole(input.chunk, 'chunk') ?? DEFAULT_CHUNK_SIZE,
    priority: whole(input.priority, 'priority') ?? 0,
    pool: input.pool,
    tags: tags?.length ? tags : undefined,
    after: dependencies.after,
    afterAny: dependencies.afterAny.length ? dependencies.afterAny : undefined,
    minRamBytes: input.minRam === undefined ? undefined : typeof input.minRam === 'number' ? input.minRam : parseBytes(input.minRam, '--min-ram'),
    maxNodes: whole(input.maxNodes, 'maxNodes'),
    startAt,
    license: input.license,
    retries: whole(input.retries, 'retries') ?? DEFAULT_RETRIES,
    retryDelayMs: duration(input.retryDelay, 'retryDelay'),
    timeoutMs: duration(input.timeout, 'timeout'),
    silenceTimeoutMs: duration(input.silenceTimeout, 'silenceTimeout'),
    maxFailedChunks: whole(input.maxFailed, 'maxFailed'),
    paused: Boolean(input.paused),
    ...(input.device !== undefined ? { device: parseJobDevice(input.device) } : {}),
    owner: os.userInfo().username,
    host: os.hostname(),
    cwd: env.cwd,
  };
}

async function hooksFor(input: JobOptions, env: BuildEnv, kind: 'blender' | 'exec'): Promise<string> {
  const project = path.join(env.cwd, PROJECT_HOOKS_DIR);
  const dir = input.hooks ? path.resolve(env.cwd, input.hooks) : fs.existsSync(project) ? project : defaultHooksDir(kind);
  await validateHookDir(dir);
  return dir;
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

/** --camera and --view-layer must name a camera object and a view layer the file has. */
async function checkRenderNames(blendFile: string, camera: string | undefined, viewLayer: string | undefined): Promise<void> {
  const { readRenderNames } = await import('../blend/render-names.js');
  const names = await readRenderNames(blendFile);
  if (camera !== undefined && !names.cameras.includes(camera)) {
    throw new UsageError(`--camera '${camera}': ${blendFile} has no camera object of that name (cameras: ${names.cameras.join(', ') || 'none'})`);
  }
  if (viewLayer !== undefined && !names.viewLayers.includes(viewLayer)) {
    throw new UsageError(`--view-layer '${viewLayer}': ${blendFile} has no view layer of that name (view layers: ${names.viewLayers.join(', ') || 'none'})`);
  }
}
