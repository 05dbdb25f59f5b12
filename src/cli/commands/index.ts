// Every `render` sub-command, one file each. Add a command with one line here.
import type { Command } from 'commander';
import type { Cli } from '../context.js';
import { registerInspect } from './inspect.js';

type Register = (program: Command, cli: Cli) => void;

const commands: Register[] = [
  registerInspect,
];

export function registerCommands(program: Command, cli: Cli): void {
  for (const register of commands) register(program, cli);
}
