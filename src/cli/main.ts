// Entry of `render`: parses the command line, runs one command, maps errors to exit codes.
import { Command, CommanderError } from 'commander';
import { createCli, type Cli, type CliIO } from './context.js';
import { registerCommands } from './commands/index.js';
import { errorMessage, isUserError } from '../errors.js';
import { packageVersion } from '../hooks/defaults.js';

export const EXIT_USAGE = 2;

export function buildProgram(cli: Cli): Command {
  const program = new Command('render')
    .description('submit and manage jobs on a renderd farm')
    .option('--spool <dir>', 'spool directory (default: $RENDER_SPOOL or ~/.local/share/renderd/spool)')
    .version(packageVersion(), '-V, --version')
    .showSuggestionAfterError()
    .exitOverride()
    .configureOutput({
      writeOut: (text) => cli.io.stdout.write(text),
      writeErr: (text) => cli.io.stderr.write(text),
      // commander puts "(Did you mean --json?)" on a line of its own: a usage error is one line
      outputError: (text, write) => write(`${text.trim().split('\n').map((l) => l.trim()).join(' ')}\n`),
    });
  registerCommands(program, cli);
  const configure = (command: Command) => {
    command.exitOverride().configureOutput(program.configureOutput());
    command.commands.forEach(configure);
  };
  program.commands.forEach(configure);
  return program;
}

export async function main(argv: string[], io: CliIO = processIO()): Promise<number> {
  const cli = createCli(io);
  const program = buildProgram(cli);
  try {
    await program.parseAsync(argv, { from: 'user' });
    return cli.exitCode;
  } catch (error) {
    return reportError(cli, error);
  }
}

function reportError(cli: Cli, error: unknown): number {
  if (error instanceof CommanderError) {
    // commander has already printed its one-line message; help and version exit 0
    return error.exitCode === 0 ? 0 : EXIT_USAGE;
  }
  if (isUserError(error)) {
    cli.err(`render: ${error.message}`);
    return EXIT_USAGE;
  }
  cli.err(`render: ${errorMessage(error)}`);
  if (process.env.RENDER_DEBUG) cli.err(String((error as Error)?.stack));
  return 1;
}

let quietOnClosedReader = false;

/**
 * `render log JOB | head`: when the reader of stdout or stderr goes away, the write fails with EPIPE (Node
 * ignores SIGPIPE) and, unhandled, dies with a stack trace. Nothing more can be shown, so the command ends
 * there, quietly and successfully, as the output it gave was what its reader wanted. Set once per process.
 */
function endQuietlyOnClosedReader(): void {
  if (quietOnClosedReader) return;
  quietOnClosedReader = true;
  for (const stream of [process.stdout, process.stderr]) {
    stream.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code !== 'EPIPE') throw error;
      process.exit(0);
    });
  }
}

function processIO(): CliIO {
  endQuietlyOnClosedReader();
  return { stdout: process.stdout, stderr: process.stderr, isTTY: Boolean(process.stdout.isTTY), env: process.env, cwd: process.cwd() };
}
