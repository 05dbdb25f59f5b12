// `render wait JOB... [--json]`: waits until every job (or every job of a group) is done (exit 0) or any failed (exit 1).
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { bar, printable } from '../format.js';
import { resolveJobOrGroup, summarizeJobById, type JobSummary } from '../../jobs/summary.js';
import { isFinished } from '../../jobs/state.js';
import { BrokenJobError } from '../../jobs/broken.js';
import { sleep } from '../../liveness/clock.js';

const POLL_MS = 300;

export function registerWait(program: Command, cli: Cli): void {
  const command = withCommonOptions(program.command('wait').description('wait for jobs to finish: exit 0 when all are done, 1 when any failed').argument('<job...>'), { json: true });
  command.action(async (refs: string[], opts: { json?: boolean }) => {
    const ctx = await openFarm(cli, command);
    const ids: string[] = [];
    // a broken job may read again (its folder's mode fixed): it is waited for like any other
    for (const ref of refs) ids.push(...await resolveJobOrGroup(ctx, ref).catch((error) => { if (error instanceof BrokenJobError) return [error.job]; throw error; }));
    const last = new Map<string, string>();
    let summaries: JobSummary[] = [];
    let removed: string[] = [];
    for (;;) {
      summaries = [];
      removed = [];
      for (const id of ids) {
        const summary = await summarizeJobById(ctx, id);
        if (!summary) removed.push(id);
        else summaries.push(summary);
      }
      if (!opts.json) report(cli, summaries, last);
      if (removed.length > 0 || summaries.every((s) => isFinished(s.state))) break;
      await sleep(POLL_MS);
    }
    if (cli.io.isTTY && !opts.json) cli.io.stdout.write('\n');
    const failed = summaries.filter((s) => s.state === 'failed');
    for (const id of removed) cli.err(`render: job ${id} was removed while waiting`);
    if (opts.json) cli.json(summaries);
    else for (const s of failed) cli.err(`render: job ${s.id} (${s.name}) failed: ${s.reason ?? `${s.chunks.failed} chunk(s) failed`} (render show ${s.id})`);
    cli.exitCode = failed.length > 0 || removed.length > 0 ? 1 : 0;
  });
}

function report(cli: Cli, summaries: JobSummary[], last: Map<string, string>): void {
  if (cli.io.isTTY) {
    const line = summaries.map((s) => `${printable(s.name).slice(0, 24)} [${bar(s.chunks.done / s.chunks.total, 20)}] ${s.chunks.done}/${s.chunks.total}${s.chunks.failed ? ` ${s.chunks.failed} failed` : ''} ${s.state}`).join('  ');
    cli.io.stdout.write(`\r\x1b[2K${line}`);
    return;
  }
  for (const s of summaries) {
    const line = `${s.id} ${s.state} ${s.chunks.done}/${s.chunks.total} done, ${s.chunks.running} running, ${s.chunks.failed} failed`;
    if (last.get(s.id) !== line) cli.out(line);
    last.set(s.id, line);
  }
}
