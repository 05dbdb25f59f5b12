// `render add --tiles`: a tiled still is two jobs on the farm's own machinery. The tile job has a chunk
// per tile per frame (retried like any chunk); the merge job, `--after` it, a chunk per frame. A tile
// job that fails or is removed fails its merge with the reason: half a frame is never merged. A scene
// that denoises or has an edge-reading compositor node has its tiles render passes only (multilayer EXR),
// and its merge runs Blender on the whole frame, on a node whose Blender can open the file (and denoise).
import type { FarmContext } from '../claim/context.js';
import { UsageError } from '../errors.js';
import { formatFrameSpec } from '../frames/index.js';
import { buildJobSpec, pickScene, type JobOptions } from '../jobs/build.js';
import { submitJob, type JobSpec, type Submitted } from '../jobs/submit.js';
import { defaultHooksDir, packagePath } from '../hooks/defaults.js';
import { isMovieFormat } from '../blender/outputs.js';
import { checkGrid, frameSize, parseOverscan, parseTileSpec, type TileGrid } from './geometry.js';
import { tileChunkFrames } from './plan.js';
import { MERGEABLE_FORMATS } from './merge.js';
import { mergeCompositor, mergeNeedsOidn, readNodeNames } from './scene-check.js';

/** What the tiles of a merge that finishes the frame in Blender are written as. */
export const PASSES_FORMAT = 'OPEN_EXR_MULTILAYER';

export interface TiledRequest {
  tiles: string;
  overscan?: string;
}

export interface SubmittedTiles extends Submitted {
  scene: string;
  file: string;
  tiles: { id: string; chunks: number; cols: number; rows: number; overscan: number };
}

/** A tiled job's grid, and whether its merge needs a Blender with OpenImageDenoise. */
export type TilePlan = TileGrid & { mergeNeedsOidn: boolean };

/** The grid for a built Blender job, or one line saying why its frames cannot be tiled. */
export async function planTiles(spec: JobSpec, request: TiledRequest, sceneName: string): Promise<TilePlan> {
  const { cols, rows } = parseTileSpec(request.tiles);
  const overscan = parseOverscan(request.overscan);
  const format = spec.format ?? '';
  if (format && isMovieFormat(format)) throw new UsageError(`--tiles: the format ${format} writes a movie; tiles need an image format (--format PNG or OPEN_EXR)`);
  if (!spec.output) throw new UsageError('--tiles: the scene has no output path; pass --output');
  // each tiled job has a tile folder of its own, so skipping existing files would skip nothing useful
  if (spec.noOverwrite) throw new UsageError('--tiles and --no-overwrite: not supported together; pass --frames with the frames still missing');
  const { readBlendInfo } = await import('../blend/index.js');
  const info = await readBlendInfo(spec.file!);
  const scene = pickScene(info, sceneName);
  const { cyclesDenoiser } = await import('../blend/denoise.js');
  const denoiser = scene.engine === 'CYCLES' ? await cyclesDenoiser(spec.file!, scene.name, info.versionNumber) : 'off';
  const nodes = await readNodeNames(spec.file!);
  const compositor = mergeCompositor({ scene: scene.name, denoiser, nodes, format });
  // Blender writes a finished frame in any image format; our own codecs merge these byte for byte
  if (!compositor && !MERGEABLE_FORMATS.includes(format)) {
    throw new UsageError(`--tiles: tiles of format '${format || 'unknown'}' cannot be merged exactly; use --format ${MERGEABLE_FORMATS.join(', ')}`);
  }
  if (!scene.resolution) throw new UsageError(`--tiles: cannot read the resolution of scene '${scene.name}' from ${spec.file}`);
  const grid = { cols, rows, overscan, ...frameSize(scene.resolution), ...(compositor ? { compositor } : {}) };
  checkGrid(grid);
  return { ...grid, mergeNeedsOidn: mergeNeedsOidn(compositor, nodes) };
}

/** Queues the tile job, then its merge; a merge that cannot be queued takes its tile job back out. */
export async function submitTiles(
  ctx: FarmContext, built: { spec: JobSpec; scene: string }, plan: TilePlan, options: JobOptions, cwd: string, nowMs: number,
): Promise<SubmittedTiles> {
  const { spec } = built;
  const { mergeNeedsOidn, ...grid } = plan;
  const group = spec.group ?? spec.name;
  // tiles of passes are not denoised (the merge is): they need no OpenImageDenoise
  const { needsOidn: _denoisedByMerge, ...tileSpec } = { ...spec, ...(grid.compositor ? { format: PASSES_FORMAT } : {}) };
  const tileJob = await submitJob(ctx, { ...tileSpec, name: `${spec.name}.tiles`, chunkSize: 1, tiles: grid, group }, nowMs, tileChunkFrames(spec.frames, grid));
  try {
    const merge = await buildJobSpec(ctx, {
      ...options, command: [process.execPath, packagePath('bin', 'render'), 'tiles-merge', tileJob.id],
      frames: formatFrameSpec(spec.frames), chunk: 1, after: [tileJob.id], name: spec.name, hooks: defaultHooksDir('exec'),
    }, { cwd, nowMs });
    // a merge that runs Blender goes to a node whose Blender opens the file (and denoises, when it must)
    const blender = grid.compositor
      ? { runsBlender: true, ...pick(spec, 'blenderNeeds', 'blenderPin'), ...(mergeNeedsOidn ? { needsOidn: true } : {}) }
      : {};
    const merged = await submitJob(ctx, { ...merge.spec, ...blender, group }, nowMs);
    return {
      ...merged, scene: built.scene, file: spec.file!,
      tiles: { id: tileJob.id, chunks: tileJob.chunks, cols: grid.cols, rows: grid.rows, overscan: grid.overscan },
    };
  } catch (error) {
    const { removeJob } = await import('../jobs/control.js');
    await removeJob(ctx, tileJob.id).catch(() => undefined); // best effort: the error below is what the user needs
    throw error;
  }
}

function pick<T extends object, K extends keyof T>(from: T, ...keys: K[]): Partial<Pick<T, K>> {
  return Object.fromEntries(keys.filter((k) => from[k] !== undefined).map((k) => [k, from[k]])) as Partial<Pick<T, K>>;
}
