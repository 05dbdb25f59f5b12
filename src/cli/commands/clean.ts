// `render clean [--done-older-than AGE] [--failed-older-than AGE] [--dry-run] [--json]`: removes finished
// jobs older than an age from the spool and says what that frees. Outputs are never touched.
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { bytes, printable, table } from '../format.js';
import { parseDuration } from '../../jobs/values.js';
import { cleanJobs } from '../../jobs/clean.js';
import { UsageError } from '../../errors.js';

interface CleanOptions { doneOlderThan?: string; failedOlderThan?: string; dryRun?: boolean; json?: boolean }

export function registerClean(program: Command, cli: Cli): void {
  const command = withCommonOptions(program.command('clean')
    .description('remove finished jobs older than an age from the spool (outputs are never touched)')
    .option('--done-older-than <age>', 'done jobs whose last chunk ended longer ago than AGE (7d, 12h)')
    .option('--failed-older-than <age>', 'failed jobs whose last chunk ended longer ago than AGE')
    .option('--dry-run', 'say what would go, remove nothing'), { json: true });
  command.action(async (opts: CleanOptions) => {
    if (opts.doneOlderThan === undefined && opts.failedOlderThan === undefined) {
      throw new UsageError('render clean needs --done-older-than AGE and/or --failed-older-than AGE');
    }
    const doneOlderThanMs = opts.doneOlderThan === undefined ? undefined : parseDuration(opts.doneOlderThan, '--done-older-than');
    const failedOlderThanMs = opts.failedOlderThan === undefined ? undefined : parseDuration(opts.failedOlderThan, '--failed-older-than');
    const ctx = await openFarm(cli, command);
    const result = await cleanJobs(ctx, { doneOlderThanMs, failedOlderThanMs, dryRun: Boolean(opts.dryRun), nowMs: Date.now() });
    if (opts.json) return cli.json({ dryRun: Boolean(opts.dryRun), ...result });
    const verb = opts.dryRun ? 'would remove' : 'removed';
    if (result.jobs.length) cli.out(table(result.jobs.map((j) => [j.id, j.state, j.endedAt, bytes(j.bytes), printable(j.name)]), ['ID', 'STATE', 'ENDED', 'SIZE', 'NAME']));
    for (const k of result.kept) cli.out(`kept ${k.id}: ${k.neededBy.join(', ')} still wait${k.neededBy.length === 1 ? 's' : ''} for it`);
    cli.out(`${verb} ${result.jobs.length} job(s), ${opts.dryRun ? 'would free' : 'freed'} ${bytes(result.bytes)} on the spool (outputs untouched)`);
  });
}
