// `render tiles-merge TILEJOB`: the render stage of a tiled still's merge job (render add --tiles queues
// it, --after the tile job): assembles each frame of the chunk ($RENDER_FRAME_LIST) from its tiles.
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { resolveJobRef } from '../../jobs/summary.js';
import { FarmError, UsageError } from '../../errors.js';
import { previewFile } from '../../previews/paths.js';
import { isSafeName } from '../../spool/layout.js';

export function registerTilesMerge(program: Command, cli: Cli): void {
  const command = withCommonOptions(program.command('tiles-merge', { hidden: true })
    .description("merge a tiled job's tiles into its frames (the merge job's command)").argument('<tile-job>'));
  command.action(async (ref: string) => {
    const ctx = await openFarm(cli, command);
    const record = await resolveJobRef(ctx, ref);
    if (!record.tiles) throw new UsageError(`job ${record.id} is not a tiled job`);
    // paths per machine: the tiles and the frame are where this node mounts them, as its tiles' hooks saw
    const { nodePaths } = await import('../../project/node-paths.js');
    const mapped = process.env.RENDER_NODE ? await nodePaths(ctx.layout.root, process.env.RENDER_NODE, record) : {};
    const job = { ...record, file: mapped.RENDER_FILE ?? record.file, output: mapped.RENDER_OUTPUT ?? record.output };
    const frames = (process.env.RENDER_FRAME_LIST ?? '').trim().split(/\s+/).filter(Boolean).map(Number);
    if (frames.length === 0 || frames.some((f) => !Number.isSafeInteger(f))) throw new UsageError('RENDER_FRAME_LIST names no frames to merge');
    const { mergeFrame } = await import('../../tiles/merge.js');
    for (const frame of frames) {
      const merged = await mergeFrame(job, frame).catch((error: Error) => {
        throw new FarmError('EMERGE', `frame ${frame}: ${error.message}`, { cause: error });
      });
      // the line render-blender's Saved: lines make: the output check and the log read it the same way
      cli.out(`Saved: '${merged.file}'  (${merged.tiles} tiles of job ${job.id})`);
      // the merged frame's preview, on the merge job (RENDER_JOB): render preview, ui and report show it
      const mergeJob = process.env.RENDER_JOB;
      if (mergeJob && isSafeName(mergeJob)) {
        const { makePreview } = await import('../../previews/make.js');
        await makePreview(merged.file, previewFile(ctx.layout, mergeJob, frame))
          .catch((error: Error) => cli.err(`render: frame ${frame}: no preview (${error.message})`));
      }
    }
  });
}
