// Entry of `renderd`, its one composition root: the clock, the spool, the log, the environment's knobs
// (read once, into the options) and the signals are wired here, and every part of the node is built here.
import os from 'node:os';
import { CommanderError } from 'commander';
import { systemClock } from '../liveness/clock.js';
import { LockManager } from '../claim/mutex.js';
import type { FarmContext } from '../claim/context.js';
import { openSpool } from '../spool/open.js';
import { printable } from '../printable.js';
import { currentIdentity, type ProcessIdentity } from '../nodes/host.js';
import { errorMessage, FarmError, isUserError } from '../errors.js';
import { HolderJudge } from '../liveness/judge.js';
import { NODE_SILENT_MS } from '../liveness/budget.js';
import { ClaimKeeper } from '../liveness/keeper.js';
import { SystemSampler } from '../nodes/sysinfo.js';
import { localSocketPath } from '../nodes/address.js';
import { tellNode } from '../nodes/tell.js';
import { nodeDevices } from '../devices/devices.js';
import { nodePaths } from '../project/node-paths.js';
import { startWarmPath } from '../warm/index.js';
import type { ProbedBlender } from '../blender/probe.js';
import type { JobRecord } from '../spool/records.js';
import { Daemon } from './daemon.js';
import { daemonCommand, resolveDaemonOptions, type DaemonOptions } from './options.js';
import { blenderProgressFor } from './progress.js';
import { blenderEnvFor, describeBlenders, resolveNodeBlenders } from './blenders.js';
import { ChunkFinder } from './finder.js';
import { Reaper } from './reaper.js';
import { NameHold } from './registration.js';
import { ChunkDurations } from './ahead.js';
import { RunningJobsWatch } from './job-watch.js';
import { AttemptRecorder, type AttemptRecorded } from './chunk/attempt-recorder.js';
import { WorkingDirs } from './chunk/working-dirs.js';
import { hookLauncher } from '../hooks/launcher.js';
import { SlotTable } from './slot-table.js';
import { Waker } from './waker.js';
import { NodeState } from './node-state.js';
import { NodeRecordWriter } from './node-record.js';
import { UserPresence } from './user-presence.js';
import { Timers } from './timers.js';
import { startNodeServer } from './node-server.js';
import { createStatsRecorder } from '../reports/stats-writer.js';
import { createJobEventRunner } from '../reports/job-hooks.js';

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
  const log = (line: string) => process.stderr.write(`${new Date(systemClock.wallMs()).toISOString()} renderd[${options.node}]: ${printable(line)}\n`);
  let blenders;
  try {
    blenders = await resolveNodeBlenders(options.blenders, explicitBlenders, log);
  } catch (error) {
    if (isUserError(error)) { process.stderr.write(`renderd: ${error.message}\n`); return 2; }
    throw error;
  }
  try {
    // Perl starts while the node does: its first chunk need not wait for the launcher
    hookLauncher(options.nice, Boolean(options.idle))?.start();
    const layout = await openSpool(options.spool);
    const ctx: FarmContext = { layout, clock: systemClock, log, locks: new LockManager(systemClock, log) };
    const identity = currentIdentity();
    // statistics (stats/<node>.ndjson) and job-done/failed hooks: both log their failures, never throw
    const stats = createStatsRecorder({ layout, node: options.node, host: identity.host, slots: options.slots, clock: systemClock, log });
    const jobEvents = createJobEventRunner({ ctx, node: options.node, nice: options.nice });
    const daemon = buildNode(ctx, options, identity, blenders, (event) => stats.record(event), (job) => jobEvents.onJobFinished(job));
    process.on('SIGTERM', () => daemon.requestStop());
    process.on('SIGINT', () => daemon.requestStop());
    // loaded only when asked for: the web stack is a third of a node's start-up, and most nodes serve no page
    const web = options.http ? await (await import('../web/on-node.js')).startNodeWebServer(ctx, options.http, log) : undefined;
    const code = await daemon.run();
    await Promise.all([stats.settle(), jobEvents.settle(), web?.close()]);
    return code;
  } catch (error) {
    if (error instanceof FarmError) { log(errorMessage(error)); return 2; }
    log(`fatal: ${(error as Error)?.stack ?? error}`);
    return 1;
  }
}

/** Every part of a node, wired; the parts reach each other only through what is passed here. */
function buildNode(ctx: FarmContext, options: DaemonOptions, identity: ProcessIdentity, blenders: readonly ProbedBlender[],
  onAttemptRecorded: (event: AttemptRecorded) => void, onJobEvent: (job: JobRecord) => void): Daemon {
  const instance = ctx.locks.owner;
  const decide = options.logDecisions ? (line: string) => ctx.log(`decision: ${line}`) : () => undefined;
  const jobFinished = (job: JobRecord) => daemon.jobFinished(job, onJobEvent);
  const judge = new HolderJudge(identity, NODE_SILENT_MS, decide);
  const nameHold = new NameHold(ctx.layout, options.node, instance);
  const slots = new SlotTable(options.slots);
  const waker = new Waker();
  const state = new NodeState(ctx, options);
  const keeper = new ClaimKeeper({ ctx, instance, node: options.node, held: () => slots.values() });
  const finder = new ChunkFinder({
    ctx,
    node: { name: options.node, pool: options.pool, tags: options.tags, memTotalBytes: os.totalmem(), device: options.device, blenders },
    liveNodes: () => reaper.nodeNames(),
    liveNodeTraits: () => reaper.nodeTraits(),
    onJobEnded: jobFinished,
    nowMs: () => ctx.clock.wallMs(),
    warmJobs: () => daemon.warm?.pool.warmJobs() ?? new Set<string>(),
    beforeClaim: (job) => keeper.claimTried(job),
    cadence: options.cadence,
  });
  const reaper = new Reaper(ctx, judge, instance, options.cadence, (record, msg) =>
    daemon.key ? tellNode({ key: daemon.key, from: options.node, self: identity }, record, msg) : Promise.resolve({ ok: false, reason: 'unreachable', detail: 'no key' }),
    jobFinished);
  const record = new NodeRecordWriter({
    ctx, options, identity, instance, blenders, nameHold, keeper,
    now: () => {
      const server = daemon.peerServer;
      return {
        state: state.state,
        running: [...slots.values()].map((c) => ({ job: c.job.id, chunk: c.record.id, token: c.token, attempt: c.record.attempt, startedAt: c.record.startedAt ?? '' })),
        address: server?.tcp ? { host: options.advertise, port: server.tcp.port } : undefined,
        socket: server?.unixPath,
      };
    },
    onNameLost: (holder) => daemon.loseName(holder),
  });
  const recorder = new AttemptRecorder({
    ctx,
    node: options.node,
    onJobFinished: jobFinished,
    queuedHint: (job) => finder.lastQueued(job),
    onUnrecordedEnd: (pending) => keeper.leave(pending),
    onAttemptRecorded: (event) => {
      if (event.outcome === 'failed') finder.forgetFailures(event.job.id);
      onAttemptRecorded(event);
    },
  });
  const daemon: Daemon = new Daemon({
    ctx, options, identity, instance, judge, slots, waker, state, record, keeper, finder, reaper, decide,
    presence: new UserPresence(ctx, options.idle, slots, () => waker.wake()),
    timers: new Timers(ctx.log),
    jobWatch: new RunningJobsWatch(ctx, () => slots.values(), options.cadence.activeFullListMs),
    durations: new ChunkDurations(options.cadence.shortChunkMs),
    sampler: new SystemSampler(),
    chunkDeps: {
      ctx,
      node: options.node,
      nice: options.nice,
      ioIdle: Boolean(options.idle),
      lease: instance,
      progressFor: blenderProgressFor,
      warm: () => daemon.warm,
      devices: nodeDevices(options.device, options.gpus),
      pathsFor: (job) => nodePaths(ctx.layout.root, options.node, job),
      workingDirs: new WorkingDirs(() => ctx.clock.monotonicMs(), options.cadence.workingDirFreshMs),
      blenderEnv: (job) => blenderEnvFor(job, blenders),
      recorder,
      decide,
    },
    listen: (key) => startNodeServer({ ctx, options, instance, blenders, slots, state, figures: () => record.figures, wake: () => waker.wake(), decide }, key),
    startWarm: (server) => startWarmPath({ slots: options.slots, idleMs: options.warmIdleMs, maxFrames: options.warmMaxFrames, nice: options.nice,
      ioIdle: Boolean(options.idle), minFreeShare: options.warmMinFreeShare, nodeSocket: server.unixPath ?? localSocketPath(ctx.layout.root, options.node), log: ctx.log })
      .catch((error) => { ctx.log(`warm path off: ${(error as Error).message}`); return undefined; }),
    blenderLine: `Blender: ${describeBlenders(blenders)}`,
  });
  return daemon;
}
