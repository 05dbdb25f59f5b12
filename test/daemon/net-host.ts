// One "host" of the lab: a renderd started as pid 1 of its own pid, uts, user and mount namespaces inside
// the host's network namespace, with a boot id of its own and no inotify (see net-support.ts).
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { NodeProcess } from '../support/nodes.js';
import { RENDERD_BIN } from '../support/paths.js';
import { waitUntil } from '../support/wait.js';
import { liveProcesses } from './net-processes.js';

export interface NetHost {
  name: string;
  /** Network namespace. */
  ns: string;
  address: string;
  bootId: string;
  /** XDG_RUNTIME_DIR of its renderd (where its Unix socket goes). */
  runDir: string;
}

export interface HostNodeOptions {
  slots?: number;
  /** Default 10,000: only a wake message makes a node start new work quickly. */
  pollMs?: number;
  extraArgs?: string[];
}

/** Runs as pid 1 of the host's namespaces, then becomes renderd: $1 hostname, $2 boot id file, rest argv. */
const HOST_INIT = [
  'hostname "$1"',
  'echo 0 > /proc/sys/user/max_inotify_instances',
  'mount --bind "$2" /proc/sys/kernel/random/boot_id',
  'shift 2',
  'exec "$@"',
].join(' && ');

/** Starts `renderd --node <host>` as its host's only process tree, advertising the host's address. */
export function spawnHostNode(host: NetHost, spool: string, options: HostNodeOptions = {}): HostNode {
  const renderd = [process.execPath, RENDERD_BIN, '--spool', spool, '--node', host.name, '--advertise', host.address,
    '--slots', String(options.slots ?? 1), '--poll', String(options.pollMs ?? 10_000), ...(options.extraArgs ?? [])];
  const child = spawn('ip', ['netns', 'exec', host.ns,
    'unshare', '--user', '--map-root-user', '--pid', '--fork', '--mount-proc', '--uts', '--kill-child',
    'sh', '-c', HOST_INIT, 'renderd-host', host.name, path.join(host.runDir, 'boot_id'), ...renderd,
  ], { env: { ...process.env, XDG_RUNTIME_DIR: host.runDir, RENDERD_LOG_DECISIONS: '1' }, stdio: ['ignore', 'pipe', 'pipe'] });
  // isolated: NodeProcess signals renderd itself (the child of unshare), whose death takes its whole host down
  return new HostNode(host, new NodeProcess(host.name, child, true));
}

/** A renderd running as pid 1 of its own host, behind the `unshare` that made its namespaces (see HOST_INIT). */
export class HostNode {
  constructor(readonly host: NetHost, readonly process: NodeProcess) {}

  get name(): string { return this.host.name; }

  /** The decisions it logged so far (RENDERD_LOG_DECISIONS=1), oldest first: what tests wait on instead of sleeping. */
  decisions(): string[] {
    return this.process.lines(/ decision: /).map((line) => line.slice(line.indexOf(' decision: ') + ' decision: '.length));
  }

  /** Waits until its decisions from index `from` on match `patterns` in order (others between them allowed). */
  async waitForDecisions(patterns: RegExp[], from: number, timeoutMs: number): Promise<void> {
    await waitUntil(`${this.name} to decide ${patterns.join(' then ')}`, () => {
      let next = 0;
      for (const line of this.decisions().slice(from)) if (next < patterns.length && patterns[next].test(line)) next++;
      return next === patterns.length;
    }, timeoutMs, 20);
  }

  /** Its last decision was to rest with nothing to claim and nothing running: it sleeps until polled or woken. */
  get resting(): boolean {
    // what it says of other nodes' heartbeats (liveness/judge.ts) is no round of its own
    const rounds = this.decisions().filter((line) => !/^(watching )?holder /.test(line));
    return /^rest: nothing to claim, 0 running/.test(rounds.at(-1) ?? '');
  }

  /** Waits for "node X up" (registered, listening) and returns the node's record. */
  async waitUp(spool: string, timeoutMs = 15_000): Promise<NodeRecordJson> {
    await this.process.waitForLine(/ up: pid /, timeoutMs);
    return JSON.parse(await fsp.readFile(path.join(spool, 'nodes', `${this.name}.json`), 'utf8')) as NodeRecordJson;
  }

  /** Every live process of this host (its pid namespace), renderd first. */
  async processes(): Promise<number[]> {
    const init = await this.process.nodePid();
    const ns = fs.readlinkSync(`/proc/${init}/ns/pid`);
    return [init, ...liveProcesses().filter((p) => p.pidns === ns && p.pid !== init).map((p) => p.pid)];
  }

  /** SIGKILLs renderd; as pid 1 of its namespace, its death takes every hook of the host with it. */
  async killRenderd(): Promise<void> {
    process.kill(await this.process.nodePid(), 'SIGKILL');
  }

  /** Stops (or continues) every process of the host at once: a machine that hangs, or comes back. */
  async signalAll(signal: 'SIGSTOP' | 'SIGCONT'): Promise<void> {
    for (const pid of await this.processes()) try { process.kill(pid, signal); } catch { /* exited meanwhile */ }
  }
}

export interface NodeRecordJson {
  name: string;
  host: string;
  bootId: string;
  pidns: string;
  pid: number;
  beat: number;
  address?: { host: string; port: number };
  socket?: string;
  running: { job: string; chunk: string; token: string; attempt: number }[];
}
