// `render preview JOB [FRAME]`: the frame's preview drawn in the terminal (kitty graphics, sixel, or
// half blocks in true colour / 256 colours, as `render ui` draws it); the frame that landed last when
// no FRAME is given. --json prints the frame and the preview's path instead.
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { resolveJobRef } from '../../jobs/summary.js';
import { NotFoundError, UsageError } from '../../errors.js';
import { latestPreview, listPreviews } from '../../previews/paths.js';
import { detectGraphics } from '../../previews/terminal/detect.js';
import { loadPicture } from '../../previews/terminal/picture.js';

const DEFAULT_SIZE = { cols: 80, rows: 24 };

function positive(name: string, value: string | undefined): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!Number.isInteger(n) || n < 1 || n > 10_000) throw new UsageError(`${name} must be a whole number from 1 to 10000, got '${value}'`);
  return n;
}

export function registerPreview(program: Command, cli: Cli): void {
  const command = withCommonOptions(program.command('preview').description('draw a frame\'s preview in the terminal').argument('<job>').argument('[frame]'), { json: true })
    .option('--cols <n>', 'width in terminal cells (default: the terminal\'s)')
    .option('--rows <n>', 'height in terminal cells (default: the terminal\'s, less one)');
  command.action(async (ref: string, frameArg: string | undefined, opts: { json?: boolean; cols?: string; rows?: string }) => {
    const frame = frameArg === undefined ? undefined : Number(frameArg);
    if (frame !== undefined && !Number.isSafeInteger(frame)) throw new UsageError(`frame must be a whole number, got '${frameArg}'`);
    const cols = positive('--cols', opts.cols);
    const rows = positive('--rows', opts.rows);
    const ctx = await openFarm(cli, command);
    const job = await resolveJobRef(ctx, ref);
    const previews = await listPreviews(ctx.layout, job.id);
    const chosen = frame === undefined ? latestPreview(previews) : previews.find((p) => p.frame === frame);
    if (!chosen) throw new NotFoundError(frame === undefined ? `job ${job.id} has no preview yet` : `job ${job.id} has no preview of frame ${frame}`);
    if (opts.json) return cli.json({ job: job.id, frame: chosen.frame, preview: chosen.path });
    const out = cli.io.stdout as NodeJS.WriteStream;
    const size = { cols: cols ?? out.columns ?? DEFAULT_SIZE.cols, rows: rows ?? (out.rows ? out.rows - 1 : DEFAULT_SIZE.rows) };
    const picture = await loadPicture(chosen.path, size.cols, size.rows, detectGraphics(cli.io.env));
    // cli.out would strip the escapes the picture is made of; only the names printed after it are from the spool
    cli.picture(picture.lines ? picture.lines.join('\n') : picture.escape!);
    cli.err(`${job.name} frame ${chosen.frame}: ${chosen.path}`);
  });
}
