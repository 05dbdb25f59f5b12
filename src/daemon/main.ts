// Entry of `renderd`: the one place where the clock, the spool, the log and the signals are wired.
import { CommanderError } from 'commander';
import { systemClock } from '../liveness/clock.js';
import { LockManager } from '../claim/mutex.js';
import { openSpool } from '../spool/open.js';
import { printable } from '../printable.js';
import { currentIdentity } from '../nodes/host.js';
import { errorMessage, FarmError, isUserError } from '../errors.js';
import { Daemon } from './daemon.js';
import { daemonCommand, resolveDaemonOptions } from './options.js';
import { blenderProgressFor } from './progress.js';
import { describeBlenders, resolveNodeBlenders } from './blenders.js';
import { createStatsRecorder } from '../reports/stats-writer.js';
import { createJobEventRunner } from '../reports/job-hooks.js';
import { startNodeWebServer } from '../web/on-node.js';

export async function main(argv: string[]): Promise<number> {
  let options;
  let explicitBlenders = false;
  try {
    const command = daemonCommand().configureOutput({ writeErr: (t) => process.stderr.write(t) });
    command.parse(argv, { from: 'user' });
    options = resolveDaemonOptions(command.opts(), process.env, process.cwd());
    explicitBlenders = (command.opts().blender as string[]).length > 0;
  } catch (error) {
    if (error instanceof CommanderError) return error.exitCode === 0 ? 0 : 2;
    if (isUserError(error)) { process.stderr.write(`renderd: ${error.message}\n`); return 2; }
    throw error;
  }
  // one line each, whatever names (jobs, hosts, files) it carries
  const log = (line: string) => process.stderr.write(`${new Date().toISOString()} renderd[${options.node}]: ${printable(line)}\n`);
  let blenders;
  try {
    blenders = await resolveNodeBlenders(options.blenders, explicitBlenders, log);
  } catch (error) {
    if (isUserError(error)) { process.stderr.write(`renderd: ${error.message}\n`); return 2; }
    throw error;
  }
  log(`Blender: ${describeBlenders(blenders)}`);
  try {
    const layout = await openSpool(options.spool);
    const ctx = { layout, clock: systemClock, log, locks: new LockManager(systemClock, log) };
    const identity = currentIdentity();
    // statistics (stats/<node>.ndjson) and job-done/failed hooks: both log their failures, never throw
    const stats = createStatsRecorder({ layout, node: options.node, host: identity.host, slots: options.slots, clock: systemClock, log });
    const jobEvents = createJobEventRunner({ ctx, node: options.node, nice: options.nice });
    const daemon = new Daemon({ ctx, options, identity, blenders, progressFor: blenderProgressFor,
      onAttemptRecorded: (event) => stats.record(event), onJobFinished: (job) => jobEvents.onJobFinished(job) });
    process.on('SIGTERM', () => daemon.requestStop());
    process.on('SIGINT', () => daemon.requestStop());
    const web = options.http ? await startNodeWebServer(ctx, options.http, log) : undefined;
    const code = await daemon.run();
    await Promise.all([stats.settle(), jobEvents.settle(), web?.close()]);
    return code;
  } catch (error) {
    if (error instanceof FarmError) { log(errorMessage(error)); return 2; }
    log(`fatal: ${(error as Error)?.stack ?? error}`);
    return 1;
  }
}
