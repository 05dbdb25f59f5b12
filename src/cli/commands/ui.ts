// `render ui`: the terminal ui a farm manager leaves open (src/tui/).
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { UsageError } from '../../errors.js';

export function registerUi(program: Command, cli: Cli): void {
  const command = withCommonOptions(program.command('ui').description('watch and steer the farm: jobs, chunks, nodes and logs, live'));
  command.action(async () => {
    const output = cli.io.stdout as NodeJS.WriteStream;
    if (!cli.io.isTTY || !output.isTTY || !process.stdin.isTTY) throw new UsageError('render ui needs a terminal: run it with stdin and stdout on a tty');
    // blessed is loaded only for the ui: every other render command starts faster without it
    const { runUi } = await import('../../tui/index.js');
    await runUi({ spoolDir: cli.spoolDir(command), cwd: cli.io.cwd, input: process.stdin, output });
  });
}
