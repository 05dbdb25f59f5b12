// Opening the spool for a CLI command: the same context the daemon uses, logging to stderr.
import type { Command } from 'commander';
import { systemClock } from '../liveness/clock.js';
import { LockManager } from '../claim/mutex.js';
import type { FarmContext } from '../claim/context.js';
import { openSpool } from '../spool/open.js';
import type { Cli } from './context.js';

export async function openFarm(cli: Cli, command: Command): Promise<FarmContext> {
  return openFarmAt(cli, cli.spoolDir(command));
}

export async function openFarmAt(cli: Cli, spoolDir: string): Promise<FarmContext> {
  const layout = await openSpool(spoolDir);
  const log = (line: string) => cli.err(`render: ${line}`);
  return { layout, clock: systemClock, log, locks: new LockManager(systemClock, log) };
}
