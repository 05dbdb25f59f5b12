// `render stats [--since DURATION] [--json] [--svg FILE] [--html FILE]`: per job, per node and farm
// throughput, from the nodes' stats files; as text with bars and sparklines, JSON, or charts.
import path from 'node:path';
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { parseDuration } from '../../jobs/values.js';
import { InputError, UsageError } from '../../errors.js';
import { writeFileAtomic } from '../../spool/atomic.js';

interface StatsOptions { json?: boolean; since?: string; svg?: string; html?: string }

export function registerStats(program: Command, cli: Cli): void {
  const command = withCommonOptions(program.command('stats')
    .description('render time, frames and failures per job and node, farm throughput; --svg/--html write charts')
    .option('--since <duration>', 'only the last DURATION, e.g. 90m, 12h, 7d (default: everything on record)')
    .option('--svg <file>', 'write the charts to FILE as one SVG image')
    .option('--html <file>', 'write a self-contained HTML report (charts and tables) to FILE'), { json: true });
  command.action(async (opts: StatsOptions) => {
    const sinceMs = opts.since === undefined ? undefined : parseDuration(opts.since, '--since');
    if (sinceMs !== undefined && sinceMs <= 0) throw new UsageError(`--since must be longer than 0, got '${opts.since}'`);
    const ctx = await openFarm(cli, command);
    // the reports (charts, HTML) load only here: every other render command starts faster without them
    const { countMalformed, formatTextReport, htmlReport, loadFarmReport, reportSvg } = await import('../../reports/index.js');
    const now = new Date();
    const { report, malformed } = await loadFarmReport(ctx, { nowMs: now.getTime(), sinceMs });
    const written: Record<string, string> = {};
    if (opts.svg) written.svg = await writeOutput(cli, opts.svg, reportSvg(report));
    if (opts.html) written.html = await writeOutput(cli, opts.html, htmlReport(report, now.toISOString(), ctx.layout.root));
    if (opts.json) return cli.json({ ...report, malformed, ...(Object.keys(written).length ? { written } : {}) });
    cli.out(formatTextReport(report, countMalformed(malformed)));
    for (const file of Object.values(written)) cli.out(`wrote ${file}`);
  });
}

async function writeOutput(cli: Cli, raw: string, content: string): Promise<string> {
  const file = path.resolve(cli.io.cwd, raw);
  try {
    await writeFileAtomic(file, content);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT' || code === 'EACCES' || code === 'ENOTDIR' || code === 'EISDIR' || code === 'EROFS') {
      throw new InputError(file, `cannot write ${file}: ${code === 'ENOENT' ? 'its folder does not exist' : (error as Error).message}`, { cause: error });
    }
    throw error;
  }
  return file;
}
