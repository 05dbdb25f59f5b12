// `render log JOB [CHUNK] [--follow]`: the output of a job's hooks, attempt by attempt.
import fs from 'node:fs/promises';
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm } from '../farm.js';
import { resolveJobRef, summarizeJob } from '../../jobs/summary.js';
import { readJob } from '../../jobs/read.js';
import { isFinished } from '../../jobs/state.js';
import { listNames } from '../../spool/atomic.js';
import { NotFoundError } from '../../errors.js';
import { sleep } from '../../liveness/clock.js';
import { orderLogs } from '../../documents/index.js';

export function registerLog(program: Command, cli: Cli): void {
  const command = withCommonOptions(program.command('log').description('print the hook output of a job or one chunk').argument('<job>').argument('[chunk]'))
    .option('-f, --follow', 'keep printing as the log grows, until the job finishes');
  command.action(async (ref: string, chunk: string | undefined, opts: { follow?: boolean }) => {
    const ctx = await openFarm(cli, command);
    const job = await resolveJobRef(ctx, ref);
    const dir = ctx.layout.logsDir(job.id);
    const printed = new Map<string, number>();
    for (let first = true; ; first = false) {
      const files = orderLogs(await listNames(dir), chunk);
      if (first && chunk && files.length === 0 && !opts.follow) throw new NotFoundError(`job ${job.id} has no log for chunk ${chunk} yet`);
      for (const file of files) {
        const offset = printed.get(file.name) ?? 0;
        let data: Buffer;
        try { data = await fs.readFile(`${dir}/${file.name}`); } catch { continue; }
        if (data.length <= offset) continue;
        if (offset === 0) cli.out(`==> chunk ${file.chunk}, attempt ${file.attempt} <==`);
        cli.io.stdout.write(data.subarray(offset));
        printed.set(file.name, data.length);
      }
      if (!opts.follow) return;
      const record = await readJob(ctx, job.id);
      if (!record || isFinished((await summarizeJob(ctx, record)).state)) return;
      await sleep(500);
    }
  });
}
