// What every command handler gets: where the spool is, how to print, and the terminal it talks to.
import type { Command } from 'commander';
import { resolveSpoolDir } from '../spool/location.js';
import { printable } from './format.js';

export interface CliIO {
  stdout: NodeJS.WriteStream | NodeJS.WritableStream;
  stderr: NodeJS.WriteStream | NodeJS.WritableStream;
  /** Whether stdout is a terminal: progress bars and colours only then. */
  isTTY: boolean;
  env: NodeJS.ProcessEnv;
  cwd: string;
}

export interface Cli {
  io: CliIO;
  /** The spool directory for this command, from --spool, RENDER_SPOOL or the XDG default. */
  spoolDir(command: Command): string;
  out(text: string): void;
  err(text: string): void;
  /** Terminal graphics we drew ourselves (colour blocks, kitty, sixel): written as they are. */
  picture(text: string): void;
  /** Prints exactly one JSON document on stdout. */
  json(value: unknown): void;
  exitCode: number;
}

export function createCli(io: CliIO): Cli {
  const cli: Cli = {
    io,
    exitCode: 0,
    spoolDir(command) {
      const opts = command.optsWithGlobals() as { spool?: string };
      return resolveSpoolDir(opts.spool, io.env, io.cwd);
    },
    // what a person reads never carries a name's escape sequences; JSON escapes them itself
    out(text) { io.stdout.write(printable(text.endsWith('\n') ? text : text + '\n', { lines: true })); },
    err(text) { io.stderr.write(printable(text.endsWith('\n') ? text : text + '\n', { lines: true })); },
    picture(text) { io.stdout.write(text.endsWith('\n') ? text : text + '\n'); },
    json(value) { io.stdout.write(JSON.stringify(value, null, 2) + '\n'); },
  };
  return cli;
}

/** Adds the options every command takes. */
export function withCommonOptions(command: Command, { json = false } = {}): Command {
  command.option('--spool <dir>', 'spool directory (default: $RENDER_SPOOL or ~/.local/share/renderd/spool)');
  if (json) command.option('--json', 'print one JSON document on stdout');
  return command;
}
