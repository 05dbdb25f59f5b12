// `render pause|resume|retry|remove JOB...` and `render priority JOB N`.
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { parseBounded } from '../../jobs/bounds.js';
import { stopJobChunks, wakePeers } from '../../notify/index.js';
import { resolveJobRef } from '../../jobs/summary.js';
import { removeJob, retryFailed, setPaused, setPriority } from '../../jobs/control.js';
import type { FarmContext } from '../../claim/context.js';
import type { JobRecord } from '../../spool/records.js';
import { printable } from '../format.js';

type Action = (ctx: FarmContext, job: JobRecord) => Promise<string>;

const ACTIONS: Record<string, { description: string; act: Action }> = {
  pause: { description: 'pause jobs: no new chunks start, running ones stop and go back to the queue', act: async (ctx, job) => { await setPaused(ctx, job.id, true); await stopJobChunks(ctx, job.id, 'job paused'); return 'paused'; } },
  resume: { description: 'resume paused jobs', act: async (ctx, job) => { await setPaused(ctx, job.id, false); return 'resumed'; } },
  retry: { description: 'put failed chunks back in the queue', act: async (ctx, job) => `${await retryFailed(ctx, job.id)} failed chunk(s) queued again` },
  remove: { description: 'remove jobs and their chunks (running chunks are stopped)', act: async (ctx, job) => { await removeJob(ctx, job.id); await stopJobChunks(ctx, job.id, 'job removed'); return 'removed'; } },
};

export function registerControl(program: Command, cli: Cli): void {
  for (const [name, { description, act }] of Object.entries(ACTIONS)) {
    const command = withCommonOptions(program.command(name).description(description).argument('<job...>'), { json: true });
    if (name === 'remove') command.alias('rm');
    command.action(async (refs: string[], opts: { json?: boolean }) => {
      const ctx = await openFarm(cli, command);
      const jobs = [];
      for (const ref of refs) jobs.push(await resolveJobRef(ctx, ref));
      const results = [];
      for (const job of jobs) results.push({ id: job.id, name: job.name, result: await act(ctx, job) });
      if (name !== 'pause' && name !== 'remove') await wakePeers(ctx);
      if (opts.json) cli.json(results);
      else for (const r of results) cli.out(`${r.id}  ${printable(r.name)}: ${r.result}`);
    });
  }
  const command = withCommonOptions(program.command('priority').description('change a job\'s priority (higher runs first)').argument('<job>').argument('<n>'), { json: true });
  command.action(async (ref: string, raw: string, opts: { json?: boolean }) => {
    const priority = parseBounded(raw, 'priority', 'priority');
    const ctx = await openFarm(cli, command);
    const job = await setPriority(ctx, (await resolveJobRef(ctx, ref)).id, priority);
    await wakePeers(ctx);
    if (opts.json) cli.json({ id: job.id, priority: job.priority });
    else cli.out(`${job.id}  ${printable(job.name)}: priority ${job.priority}`);
  });
}
