// Raw submission options as a command line gives them (every value a string, flags as booleans), read
// into the library's job input once. `render add`, `render exec` and the ui's `a` key all come through here.
import type { JobOptions } from '../build.js';

export type BlendInput = JobOptions & { blend: string; command?: undefined };
export type CommandInput = JobOptions & { command: string[]; blend?: undefined };

/** The scheduling flags `render add` and `render exec` share, as typed. */
export interface RawScheduling {
  frames?: string;
  chunk?: string;
  priority?: string;
  name?: string;
  pool?: string;
  after?: string[];
  tags?: string;
  minRam?: string;
  maxNodes?: string;
  startAt?: string;
  license?: string;
  hooks?: string;
  retries?: string;
  retryDelay?: string;
  timeout?: string;
  silenceTimeout?: string;
  maxFailed?: string;
  paused?: boolean;
  device?: string;
}

/** `render add`'s own flags on top of the scheduling ones; absent ones take the job's defaults. */
export interface RawBlendOptions extends RawScheduling {
  scene?: string;
  output?: string;
  format?: string;
  /** commander's `--no-overwrite` leaves `overwrite: false`. */
  overwrite?: boolean;
  camera?: string;
  viewLayer?: string;
  enableAutoexec?: boolean;
  blender?: string;
}

export function schedulingOptions(raw: RawScheduling): JobOptions {
  return {
    name: raw.name, frames: raw.frames, chunk: raw.chunk, priority: raw.priority, pool: raw.pool, after: raw.after,
    tags: raw.tags, minRam: raw.minRam, maxNodes: raw.maxNodes, startAt: raw.startAt, license: raw.license,
    hooks: raw.hooks, retries: raw.retries, retryDelay: raw.retryDelay, timeout: raw.timeout,
    silenceTimeout: raw.silenceTimeout, maxFailed: raw.maxFailed, paused: raw.paused, device: raw.device,
  };
}

/** The job input of `render add FILE [flags]`; with no flags, the job `render add FILE` queues. */
export function blendInput(blend: string, raw: RawBlendOptions = {}): BlendInput {
  return {
    ...schedulingOptions(raw), blend, scene: raw.scene, output: raw.output, format: raw.format, noOverwrite: raw.overwrite === false,
    ...(raw.camera !== undefined ? { camera: raw.camera } : {}), ...(raw.viewLayer !== undefined ? { viewLayer: raw.viewLayer } : {}),
    ...(raw.enableAutoexec ? { enableAutoexec: true } : {}),
    ...(raw.blender !== undefined ? { blender: raw.blender } : {}),
  };
}

/** The job input of `render exec [flags] -- CMD ARGS...`. */
export function commandInput(command: string[], raw: RawScheduling = {}): CommandInput {
  return { ...schedulingOptions(raw), command };
}
