// `render exec [--frames SPEC] [--chunk N] [flags] -- CMD [ARGS...]`: queue any command, chunk by chunk.
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { withCommonOptions } from '../context.js';
import { openFarm } from '../farm.js';
import { addSchedulingOptions } from '../submit-options.js';
import { commandInput, submitOne, type RawScheduling } from '../../jobs/submission/index.js';
import { UsageError } from '../../errors.js';
import { wakeAfterQueueing } from '../../notify/index.js';
import { printable } from '../format.js';

export function registerExec(program: Command, cli: Cli): void {
  const command = program.command('exec')
    .description('queue a generic command; it runs as the render stage of every chunk')
    .argument('<command...>', 'the command and its arguments (after --)')
    .usage('[options] -- CMD [ARGS...]');
  addSchedulingOptions(withCommonOptions(command, { json: true }));
  command.action(async (argv: string[], raw: RawScheduling & { json?: boolean }) => {
    if (argv.length === 0) throw new UsageError('exec needs a command after --');
    const ctx = await openFarm(cli, command);
    const { id, name, chunks, frames } = await submitOne(ctx, commandInput(argv, raw), { cwd: cli.io.cwd, nowMs: Date.now(), env: process.env });
    await wakeAfterQueueing(ctx, (text) => cli.err(`render: ${text}`));
    if (raw.json) cli.json({ id, name, chunks, frames });
    else cli.out(`${id}  ${printable(name)}: ${frames} frame(s) in ${chunks} chunk(s)`);
  });
}
