// `render list [--json]`: every job with its state and chunk counts.
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { table } from '../format.js';
import { listJobSummaries } from '../../jobs/summary.js';

export function registerList(program: Command, cli: Cli): void {
  const command = withCommonOptions(program.command('list').alias('ls').description('list jobs'), { json: true });
  command.action(async (opts: { json?: boolean }) => {
    const ctx = await openFarm(cli, command);
    const jobs = await listJobSummaries(ctx);
    if (opts.json) return cli.json(jobs);
    if (jobs.length === 0) return cli.out('no jobs');
    cli.out(table(jobs.map((j) => [j.id, j.state, String(j.priority), `${j.chunks.done}/${j.chunks.total}`,
      String(j.chunks.running), String(j.chunks.failed), j.owner, j.name]),
    ['ID', 'STATE', 'PRIO', 'DONE', 'RUN', 'FAIL', 'OWNER', 'NAME']));
  });
}
