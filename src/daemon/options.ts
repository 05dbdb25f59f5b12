// renderd's command line, resolved once into a frozen, fully defaulted options object.
import os from 'node:os';
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { isSafeName } from '../spool/layout.js';
import { resolveSpoolDir } from '../spool/location.js';
import { defaultAdvertiseHost } from '../nodes/address.js';
import { packageVersion } from '../hooks/defaults.js';
import { parseSchedule, type ScheduleWindow } from './schedule.js';
import type { IdlePolicy } from '../nodes/idle.js';
import { parseDevice, parseGpus, type Device } from '../devices/devices.js';
import { parseListenAddress } from '../web/listen.js';
import { resolveCadence, type Cadence } from './cadence.js';

export interface DaemonOptions {
  spool: string;
  node: string;
  slots: number;
  pool?: string;
  tags: string[];
  nice: number;
  pollMs: number;
  exitWhenIdle: boolean;
  /** TCP address the peer socket binds to; port 0 picks a free one. */
  listen: { host: string; port: number };
  /** Address other hosts reach this node at (advertised in its record). */
  advertise: string;
  /** Claim only within these windows of local time. */
  schedule?: ScheduleWindow[];
  /** Claim only when nobody uses the machine; stop (SIGSTOP) running renders when somebody comes back. */
  idle?: IdlePolicy;
  /** The Cycles device its hooks render on; with `gpus`, one slot per GPU. */
  device: Device;
  gpus: number[];
  /** The warm path: a loaded Blender kept this long without a chunk (0: no warm path). */
  warmIdleMs: number;
  /** A warm Blender ends after rendering this many frames (a guard against leaks). */
  warmMaxFrames: number;
  /** No warm Blender is loaded while free memory is below this share (RENDERD_WARM_MIN_FREE, default 0.1). */
  warmMinFreeShare: number;
  /** Serve the web dashboard and API here too (`render web`'s server); none by default. */
  http?: { host: string; port: number };
  /** The Blenders it offers (`--blender [VERSION=]PATH`, else $BLENDER or `blender`); VERSION is checked at start. */
  blenders: BlenderChoice[];
  /** Every period the node keeps (cadence.ts). */
  cadence: Readonly<Cadence>;
  /** Log one line per decision (claim gate, wake-ups, stops): RENDERD_LOG_DECISIONS=1, for tests and debugging. */
  logDecisions: boolean;
}

export interface BlenderChoice { label?: string; path: string }

/** The defaults of the flags that have one: the help text shows them, and options resolved without commander get them. */
const DEFAULTS = Object.freeze({
  slots: '1',
  nice: '10',
  poll: '1000',
  listen: '0.0.0.0:0',
  device: 'CPU',
  warmIdle: '120',
  warmMaxFrames: '1000',
  idleOnlyMinutes: 10,
});

export function daemonCommand(): Command {
  return new Command('renderd')
    .description('render node: claims chunks from the spool and runs their hooks')
    .version(packageVersion(), '-V, --version')
    .option('--spool <dir>', 'spool directory (default: $RENDER_SPOOL or ~/.local/share/renderd/spool)')
    .option('--node <name>', 'node name, one live renderd per name (default: the whole host name)')
    .option('--slots <n>', 'chunks run at once', DEFAULTS.slots)
    .option('--pool <name>', 'pool this node belongs to')
    .option('--tags <list>', 'comma-separated tags')
    .option('--nice <n>', 'niceness of hook processes', DEFAULTS.nice)
    .option('--poll <ms>', 'spool poll interval in ms (new work is also seen at once locally)', DEFAULTS.poll)
    .option('--exit-when-idle', 'exit once nothing on the spool is runnable by this node')
    .option('--listen <host:port>', 'TCP address for peer messages (port 0: any free port)', DEFAULTS.listen)
    .option('--advertise <host>', 'address other hosts reach this node at (default: first non-loopback IPv4)')
    .option('--schedule <windows>', 'claim only in these windows of local time, e.g. "mon-fri 19:00-08:00, sat,sun 00:00-24:00"')
    .option('--idle-only [minutes]', `claim only when no terminal input for this long (default ${DEFAULTS.idleOnlyMinutes}); suspend renders when the user returns`)
    .option('--device <device>', 'render device: CPU, CUDA, OPTIX, HIP, ONEAPI or METAL (default CPU)', DEFAULTS.device)
    .option('--gpus <list>', 'GPUs to use, e.g. 0,1: one slot per GPU, each slot\'s hooks see only their GPU')
    .option('--warm-idle <seconds>', 'keep a job\'s Blender loaded this long between its chunks (0: start Blender for every chunk)', DEFAULTS.warmIdle)
    .option('--warm-max-frames <n>', 'a warm Blender ends after this many frames', DEFAULTS.warmMaxFrames)
    .option('--http <host:port>', 'also serve the farm\'s web dashboard, HTTP API and metrics here (as render web)')
    .option('--idle-load <load>', 'with --idle-only: also require the load average (less our renders) below this')
    .option('--blender <[version=]path>', 'a Blender this node offers (repeatable; each job gets the oldest that opens its file, or the one it pins; default $BLENDER or blender)', (value: string, list: string[]) => [...list, value], [] as string[])
    .exitOverride()
    .allowExcessArguments(false);
}

function wholeNumber(raw: string, flag: string, min: number, max: number): number {
  const value = Number(raw);
  if (!/^-?\d+$/.test(String(raw).trim()) || value < min || value > max) throw new UsageError(`${flag} must be a whole number from ${min} to ${max}, got '${raw}'`);
  return value;
}

export function resolveDaemonOptions(raw: Record<string, string | boolean | undefined>, env: NodeJS.ProcessEnv, cwd: string): DaemonOptions {
  // the whole host name: render01.site-a and render01.site-b are two nodes; two machines with one host name
  // (cloned VMs) are refused at start by the name claim (registration.ts), never run as one node
  const node = String(raw.node ?? os.hostname());
  if (!isSafeName(node)) throw new UsageError(`--node '${node}' must be letters, digits, '.', '_' or '-'`);
  const pool = raw.pool === undefined ? undefined : String(raw.pool);
  if (pool !== undefined && !isSafeName(pool)) throw new UsageError(`--pool '${pool}' must be letters, digits, '.', '_' or '-'`);
  const tags = raw.tags ? String(raw.tags).split(',').map((t) => t.trim()).filter(Boolean) : [];
  const { device, gpus, slots } = resolveDevices(raw);
  return Object.freeze({
    spool: resolveSpoolDir(raw.spool as string | undefined, env, cwd),
    node,
    slots,
    pool,
    tags,
    nice: wholeNumber(String(raw.nice ?? DEFAULTS.nice), '--nice', 0, 19),
    pollMs: wholeNumber(String(raw.poll ?? DEFAULTS.poll), '--poll', 10, 3_600_000),
    exitWhenIdle: Boolean(raw.exitWhenIdle),
    listen: parseListen(String(raw.listen ?? DEFAULTS.listen)),
    advertise: raw.advertise ? String(raw.advertise) : defaultAdvertiseHost(),
    schedule: raw.schedule === undefined ? undefined : parseSchedule(String(raw.schedule)),
    idle: resolveIdle(raw.idleOnly, raw.idleLoad),
    device,
    gpus,
    warmIdleMs: wholeNumber(String(raw.warmIdle ?? DEFAULTS.warmIdle), '--warm-idle', 0, 86_400) * 1000,
    warmMaxFrames: wholeNumber(String(raw.warmMaxFrames ?? DEFAULTS.warmMaxFrames), '--warm-max-frames', 1, 10_000_000),
    warmMinFreeShare: warmMinFree(env.RENDERD_WARM_MIN_FREE),
    http: raw.http === undefined ? undefined : parseListenAddress(String(raw.http), '--http'),
    blenders: parseBlenderChoices(raw.blender as unknown as string[] | undefined, env),
    cadence: resolveCadence(env),
    logDecisions: env.RENDERD_LOG_DECISIONS === '1',
  });
}

/** A number that is not one falls back to the default, as it always has (a test-only knob). */
function warmMinFree(raw: string | undefined): number {
  const share = Number(raw ?? '0.1');
  return Number.isFinite(share) ? share : 0.1;
}

/** --gpus sets the slots (one per GPU) and needs a GPU --device. */
function resolveDevices(raw: Record<string, string | boolean | undefined>): { device: Device; gpus: number[]; slots: number } {
  const device = parseDevice(String(raw.device ?? DEFAULTS.device));
  const slots = wholeNumber(String(raw.slots ?? DEFAULTS.slots), '--slots', 1, 256);
  if (raw.gpus === undefined) return { device, gpus: [], slots };
  const gpus = parseGpus(String(raw.gpus));
  if (device === 'CPU') throw new UsageError('--gpus needs a GPU --device (CUDA, OPTIX, HIP, ONEAPI or METAL)');
  if (raw.slots !== undefined && String(raw.slots) !== DEFAULTS.slots && slots !== gpus.length) {
    throw new UsageError(`--slots ${slots} and --gpus ${raw.gpus}: with --gpus a node runs one slot per GPU`);
  }
  return { device, gpus, slots: gpus.length };
}

function resolveIdle(idleOnly: string | boolean | undefined, idleLoad: string | boolean | undefined): IdlePolicy | undefined {
  if (idleOnly === undefined) {
    if (idleLoad !== undefined) throw new UsageError('--idle-load goes with --idle-only');
    return undefined;
  }
  const minutes = idleOnly === true ? DEFAULTS.idleOnlyMinutes : Number(idleOnly);
  if (!Number.isFinite(minutes) || minutes < 0) throw new UsageError(`--idle-only takes minutes without input, got '${idleOnly}'`);
  const maxLoad = idleLoad === undefined ? undefined : Number(idleLoad);
  if (maxLoad !== undefined && !(maxLoad >= 0)) throw new UsageError(`--idle-load must be a number, got '${idleLoad}'`);
  return { inputIdleMs: minutes * 60_000, maxLoad };
}

/** `--blender 4.2=/opt/blender-4.2/blender` or `--blender /usr/bin/blender`; none: $BLENDER or `blender`. */
export function parseBlenderChoices(raw: readonly string[] | undefined, env: NodeJS.ProcessEnv): BlenderChoice[] {
  if (!raw?.length) return [{ path: env.BLENDER || 'blender' }];
  return raw.map((entry) => {
    const match = /^(\d+\.\d+)=(.+)$/.exec(entry);
    if (match) return { label: match[1], path: match[2] };
    if (/^[^/]*=/.test(entry)) throw new UsageError(`--blender '${entry}': the version goes as MAJOR.MINOR=PATH, e.g. 4.2=/opt/blender-4.2/blender`);
    return { path: entry };
  });
}

function parseListen(raw: string): { host: string; port: number } {
  const match = /^(.*):(\d+)$/.exec(raw);
  if (!match) throw new UsageError(`--listen must be HOST:PORT (e.g. 0.0.0.0:7070), got '${raw}'`);
  const port = Number(match[2]);
  if (port > 65535) throw new UsageError(`--listen port must be at most 65535, got ${port}`);
  return { host: match[1].replace(/^\[|\]$/g, '') || '0.0.0.0', port };
}
