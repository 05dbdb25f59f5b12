// `render list [--json]`: every job with its state and chunk counts.
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { table } from '../format.js';
import type { JobSummary } from '../../jobs/summary.js';
import { listDocument } from '../../documents/index.js';
import { resolveJobFilter, type RawListFilter } from '../../reports/job-filter.js';

export function registerList(program: Command, cli: Cli): void {
  const command = withCommonOptions(program.command('list').alias('ls').description('list jobs')
    .option('--state <states>', 'only jobs in these states (comma-separated: queued, running, paused, done, failed)')
    .option('--owner <user>', 'only jobs submitted by USER')
    .option('--name <glob>', "only jobs whose name matches GLOB ('shot_*')")
    .option('--node <node>', 'only jobs that ran or run a chunk on NODE')
    .option('--since <duration>', 'only jobs created within DURATION (90m, 2d)'), { json: true });
  command.action(async (opts: { json?: boolean } & RawListFilter) => {
    const filter = resolveJobFilter(opts, Date.now());
    const jobs = await listDocument(await openFarm(cli, command), filter);
    if (opts.json) return cli.json(jobs);
    if (jobs.length === 0) return cli.out('no jobs');
    const grouped = groupTogether(jobs);
    const groups = grouped.some((j) => j.group !== undefined);
    cli.out(table(grouped.map((j) => [j.id, j.state, String(j.priority), `${j.chunks.done}/${j.chunks.total}`,
      String(j.chunks.running), String(j.chunks.failed), j.owner, ...(groups ? [j.group ?? '-'] : []), j.name]),
    ['ID', 'STATE', 'PRIO', 'DONE', 'RUN', 'FAIL', 'OWNER', ...(groups ? ['GROUP'] : []), 'NAME']));
    // why a job is broken, or failed without running its chunks: one line each, under the table
    for (const j of jobs) if (j.reason) cli.out(`${j.id} ${j.state}: ${j.reason}`);
  });
}

/** A group's jobs one under the other, where its first job is; other jobs keep their order. */
export function groupTogether(jobs: JobSummary[]): JobSummary[] {
  const members = new Map<string, JobSummary[]>();
  for (const job of jobs) if (job.group !== undefined) members.set(job.group, [...(members.get(job.group) ?? []), job]);
  const out: JobSummary[] = [];
  for (const job of jobs) {
    if (job.group === undefined) out.push(job);
    else if (members.has(job.group)) { out.push(...members.get(job.group)!); members.delete(job.group); }
  }
  return out;
}

