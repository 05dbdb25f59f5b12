// `render report JOB --html FILE`: a self-contained page about one job (contact sheet, per-frame time
// and memory, chunks with nodes and attempts, charts) for a review or a mail.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { resolveJobRef, summarizeJob } from '../../jobs/summary.js';
import { UsageError } from '../../errors.js';
import { loadJobReport } from '../../reports/job-report-load.js';
import { jobReportHtml } from '../../reports/job-report.js';

export function registerReport(program: Command, cli: Cli): void {
  const command = withCommonOptions(program.command('report').description('write a self-contained HTML page about a job: every frame, times, chunks, charts').argument('<job>'))
    .option('--html <file>', 'where to write the page');
  command.action(async (ref: string, opts: { html?: string }) => {
    if (!opts.html) throw new UsageError('render report needs --html FILE: where to write the page');
    const target = path.resolve(cli.io.cwd, opts.html);
    const ctx = await openFarm(cli, command);
    const job = await resolveJobRef(ctx, ref);
    const summary = await summarizeJob(ctx, job);
    const input = await loadJobReport(ctx, job, summary.state, Date.now());
    const html = jobReportHtml(input);
    try {
      await fs.writeFile(target, html);
    } catch (error) {
      throw new UsageError(`cannot write ${target}: ${(error as NodeJS.ErrnoException).code ?? (error as Error).message}`);
    }
    cli.out(`${target}: ${input.chunks.reduce((n, c) => n + c.frames.length, 0)} frame(s), ${input.previews.size} preview(s), ${input.attempts.length} attempt(s)`);
  });
}
