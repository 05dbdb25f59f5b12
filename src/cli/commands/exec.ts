// `render exec [--frames SPEC] [--chunk N] [flags] -- CMD [ARGS...]`: queue any command, chunk by chunk.
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { withCommonOptions } from '../context.js';
import { openFarm } from '../farm.js';
import { addSchedulingOptions, schedulingOptions, type RawScheduling } from '../submit-options.js';
import { buildJobSpec } from '../../jobs/build.js';
import { submitJob } from '../../jobs/submit.js';
import { UsageError } from '../../errors.js';
import { wakeAfterQueueing } from '../wake.js';
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
    const { spec } = await buildJobSpec(ctx, { ...schedulingOptions(raw), command: argv }, { cwd: cli.io.cwd, nowMs: Date.now() });
    const submitted = await submitJob(ctx, spec);
    await wakeAfterQueueing(ctx, (text) => cli.err(`render: ${text}`));
    if (raw.json) cli.json(submitted);
    else cli.out(`${submitted.id}  ${printable(submitted.name)}: ${submitted.frames} frame(s) in ${submitted.chunks} chunk(s)`);
  });
}
