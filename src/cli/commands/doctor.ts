// `render doctor [--json]`: what is wrong with this machine, the spool and the farm, and what to do.
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { runDoctor } from '../../doctor/run.js';
import { exitCodeOf, overallStatus } from '../../doctor/check.js';

const MARK = { ok: 'ok  ', warn: 'WARN', fail: 'FAIL' } as const;
const SUMMARY = { ok: 'all is well', warn: 'the farm works, with warnings', fail: 'the farm cannot work' } as const;

export function registerDoctor(program: Command, cli: Cli): void {
  const command = withCommonOptions(program.command('doctor')
    .description('check this machine, the spool and every node, and say what to do (exit 0 ok, 1 warnings, 2 cannot work)'), { json: true });
  command.action(async (opts: { json?: boolean }) => {
    const checks = await runDoctor(cli.spoolDir(command), cli.io.env);
    const status = overallStatus(checks);
    cli.exitCode = exitCodeOf(status);
    if (opts.json) return cli.json({ checks, status });
    for (const check of checks) {
      cli.out(`${MARK[check.status]} ${check.id}: ${check.found}`);
      if (check.advice && check.status !== 'ok') cli.out(`     -> ${check.advice}`);
    }
    cli.out(`${SUMMARY[status]}`);
  });
}
