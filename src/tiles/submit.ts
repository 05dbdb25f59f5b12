// `render add --tiles`: a tiled still is two jobs on the farm's own machinery. The tile job has a chunk
// per tile per frame (retried like any chunk); the merge job, `--after` it, a chunk per frame. A tile
// job that fails or is removed fails its merge with the reason: half a frame is never merged.
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

export interface TiledRequest {
  tiles: string;
  overscan?: string;
}

export interface SubmittedTiles extends Submitted {
  scene: string;
  file: string;
  tiles: { id: string; chunks: number; cols: number; rows: number; overscan: number };
}

/** The grid for a built Blender job, or one line saying why its frames cannot be tiled. */
export async function planTiles(spec: JobSpec, request: TiledRequest, sceneName: string): Promise<TileGrid> {
  const { cols, rows } = parseTileSpec(request.tiles);
  const overscan = parseOverscan(request.overscan);
  const format = spec.format ?? '';
  if (format && isMovieFormat(format)) throw new UsageError(`--tiles: the format ${format} writes a movie; tiles need an image format (--format PNG or OPEN_EXR)`);
  if (!MERGEABLE_FORMATS.includes(format)) {
    throw new UsageError(`--tiles: tiles of format '${format || 'unknown'}' cannot be merged exactly; use --format ${MERGEABLE_FORMATS.join(', ')}`);
  }
  if (!spec.output) throw new UsageError('--tiles: the scene has no output path; pass --output');
  // each tiled job has a tile folder of its own, so skipping existing files would skip nothing useful
  if (spec.noOverwrite) throw new UsageError('--tiles and --no-overwrite: not supported together; pass --frames with the frames still missing');
  const { readBlendInfo } = await import('../blend/index.js');
  const info = await readBlendInfo(spec.file!);
  const scene = pickScene(info, sceneName);
  // denoised tiles would seam along their edges; denoising the merged frame is not built yet
  const { cyclesDenoiser } = await import('../blend/denoise.js');
  if (scene.engine === 'CYCLES' && (await cyclesDenoiser(spec.file!, scene.name, info.versionNumber)) !== 'off') {
    throw new UsageError(`--tiles: scene '${scene.name}' denoises (Cycles denoising is on), and denoised tiles would seam at their edges; turn denoising off to tile it, or render it whole`);
  }
  if (!scene.resolution) throw new UsageError(`--tiles: cannot read the resolution of scene '${scene.name}' from ${spec.file}`);
  const grid = { cols, rows, overscan, ...frameSize(scene.resolution) };
  checkGrid(grid);
  const { refuseSeamingNodes } = await import('./scene-check.js');
  await refuseSeamingNodes(spec.file!);
  return grid;
}

/** Queues the tile job, then its merge; a merge that cannot be queued takes its tile job back out. */
export async function submitTiles(
  ctx: FarmContext, built: { spec: JobSpec; scene: string }, grid: TileGrid, options: JobOptions, cwd: string, nowMs: number,
): Promise<SubmittedTiles> {
  const { spec } = built;
  const group = spec.group ?? spec.name;
  const tileJob = await submitJob(ctx, { ...spec, name: `${spec.name}.tiles`, chunkSize: 1, tiles: grid, group }, nowMs, tileChunkFrames(spec.frames, grid));
  try {
    const merge = await buildJobSpec(ctx, {
      ...options, command: [process.execPath, packagePath('bin', 'render'), 'tiles-merge', tileJob.id],
      frames: formatFrameSpec(spec.frames), chunk: 1, after: [tileJob.id], name: spec.name, hooks: defaultHooksDir('exec'),
    }, { cwd, nowMs });
    const merged = await submitJob(ctx, { ...merge.spec, group }, nowMs);
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
