// The lab: a hub namespace with a bridge, a `tool` namespace (10.250.0.1) and one namespace per host
// (.2, .3…), each joined to the bridge by a veth pair made straight inside the two namespaces.
import { execFile, execFileSync } from 'node:child_process';
import fs from 'node:fs';
import fsp from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fileURLToPath } from 'node:url';
import { RENDER_BIN } from '../support/paths.js';
import type { RunResult } from '../support/cli.js';
import { spawnHostNode, type HostNode, type HostNodeOptions, type NetHost } from './net-host.js';
import { isAlive } from './net-processes.js';

/** The lab's private subnet: it exists only inside the lab's namespaces, so it cannot clash with the host's. */
const SUBNET = '10.250.0';
const NS_PREFIX = 'rdnet';
const TOOL_TIMEOUT_MS = 30_000;
const PROBE_JS = path.join(path.dirname(fileURLToPath(import.meta.url)), 'net-probe.js');

const labs = new Set<NetLab>();
let exitHookInstalled = false;

function ip(args: string[]): Promise<void> {
  return new Promise((resolve, reject) => {
    execFile('ip', args, { timeout: 10_000 }, (error, _stdout, stderr) =>
      error ? reject(new Error(`ip ${args.join(' ')}: ${stderr.trim() || error.message}`)) : resolve());
  });
}

/** Whether this kernel lets us make network namespaces (root, and not forbidden by a container). */
export function netnsAvailable(): boolean {
  const probe = `${NS_PREFIX}${process.pid}probe`;
  try {
    execFileSync('ip', ['netns', 'add', probe], { stdio: 'ignore' });
    execFileSync('ip', ['netns', 'del', probe], { stdio: 'ignore' });
    return true;
  } catch {
    return false; // not root, no iproute2, or no CAP_SYS_ADMIN: the caller says so and skips
  }
}

/** Kills every process still inside a lab namespace (ours by construction), then removes the namespace. */
function removeNamespace(ns: string): void {
  try {
    const pids = execFileSync('ip', ['netns', 'pids', ns], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'ignore'] });
    for (const pid of pids.split('\n').filter(Boolean)) try { process.kill(Number(pid), 'SIGKILL'); } catch { /* exited meanwhile */ }
  } catch {
    // the namespace is already gone: nothing can be inside it
  }
  try { execFileSync('ip', ['netns', 'del', ns], { stdio: 'ignore' }); } catch { /* already gone */ }
}

/** Namespaces (and processes in them) of earlier runs whose creating process is gone: a killed test run leaves them. */
function removeStaleNamespaces(): void {
  let names: string[];
  try {
    names = fs.readdirSync('/run/netns');
  } catch {
    return; // no namespace was ever made here
  }
  for (const name of names) {
    const match = new RegExp(`^${NS_PREFIX}(\\d+)-`).exec(name);
    if (match && !isAlive(Number(match[1]))) removeNamespace(name);
  }
}

function installExitHooks(): void {
  if (exitHookInstalled) return;
  exitHookInstalled = true;
  const destroyAll = () => { for (const lab of labs) lab.destroySync(); };
  process.on('exit', destroyAll);
  // interrupted: clean up, then die of the same signal as we would have
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    process.once(signal, () => {
      destroyAll();
      process.kill(process.pid, signal);
    });
  }
}

export class NetLab {
  readonly hosts = new Map<string, NetHost>();
  readonly nodes: HostNode[] = [];
  private readonly namespaces: string[] = [];
  private destroyed = false;

  private constructor(readonly dir: string, private readonly tag: string) {}

  /** A hub with a bridge, a `tool` namespace (.1) and one namespace per host (.2, .3…); `dir` holds boot ids and sockets. */
  static async create(dir: string, hostNames: string[]): Promise<NetLab> {
    installExitHooks();
    removeStaleNamespaces();
    const lab = new NetLab(dir, `${NS_PREFIX}${process.pid}-${randomBytes(2).toString('hex')}`);
    labs.add(lab);
    try {
      const hub = await lab.addNamespace('hub');
      await ip(['-n', hub, 'link', 'add', 'br0', 'type', 'bridge']);
      await ip(['-n', hub, 'link', 'set', 'br0', 'up']);
      for (const [i, name] of ['tool', ...hostNames].entries()) await lab.addHost(name, i + 1, hub);
    } catch (error) {
      await lab.destroy();
      throw error;
    }
    return lab;
  }

  get tool(): NetHost { return this.host('tool'); }

  host(name: string): NetHost {
    const host = this.hosts.get(name);
    if (!host) throw new Error(`no host ${name} in this lab`);
    return host;
  }

  private async addNamespace(suffix: string): Promise<string> {
    const ns = `${this.tag}-${suffix}`;
    await ip(['netns', 'add', ns]);
    this.namespaces.push(ns);
    await ip(['-n', ns, 'link', 'set', 'lo', 'up']);
    return ns;
  }

  private async addHost(name: string, index: number, hub: string): Promise<void> {
    const ns = await this.addNamespace(name);
    const address = `${SUBNET}.${index}`;
    // created straight inside the two namespaces: the root namespace never sees these links
    await ip(['link', 'add', 'name', 'eth0', 'netns', ns, 'type', 'veth', 'peer', 'name', `p${index}`, 'netns', hub]);
    await ip(['-n', hub, 'link', 'set', `p${index}`, 'master', 'br0', 'up']);
    await ip(['-n', ns, 'addr', 'add', `${address}/24`, 'dev', 'eth0']);
    await ip(['-n', ns, 'link', 'set', 'eth0', 'up']);
    const runDir = path.join(this.dir, `run-${name}`);
    await fsp.mkdir(runDir, { recursive: true, mode: 0o700 });
    const bootId = `${randomBytes(4).toString('hex')}-net-lab-boot-${name}`;
    await fsp.writeFile(path.join(runDir, 'boot_id'), `${bootId}\n`);
    this.hosts.set(name, { name, ns, address, bootId, runDir });
  }

  /** Starts `renderd --node <host>` as its host's only process tree, advertising the host's address. */
  startNode(hostName: string, spool: string, options: HostNodeOptions = {}): HostNode {
    const node = spawnHostNode(this.host(hostName), spool, options);
    this.nodes.push(node);
    return node;
  }

  /** `render ARGS...` run in the tool namespace; `ms` is from spawning it to its exit. */
  render(args: string[], timeoutMs = TOOL_TIMEOUT_MS): Promise<RunResult & { ms: number }> {
    return this.runInTool([process.execPath, RENDER_BIN, ...args], timeoutMs);
  }

  /** A render command that must succeed; its stdout parsed as JSON. */
  async renderJson<T>(spool: string, args: string[]): Promise<T> {
    const result = await this.render(['--spool', spool, ...args, '--json']);
    if (result.code !== 0) throw new Error(`render ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
    return JSON.parse(result.stdout) as T;
  }

  /** Runs the raw-socket probe (net-probe.ts) from the tool namespace against a node's TCP port. */
  async probe<T>(plan: object): Promise<T> {
    const result = await this.runInTool([process.execPath, PROBE_JS, JSON.stringify(plan)], TOOL_TIMEOUT_MS);
    if (result.code !== 0) throw new Error(`net-probe exited ${result.code}: ${result.stderr.trim()}`);
    return JSON.parse(result.stdout) as T;
  }

  private runInTool(argv: string[], timeoutMs: number): Promise<RunResult & { ms: number }> {
    const started = performance.now();
    return new Promise((resolve, reject) => {
      execFile('ip', ['netns', 'exec', this.tool.ns, ...argv], { timeout: timeoutMs, killSignal: 'SIGKILL', maxBuffer: 64 << 20 }, (error, stdout, stderr) => {
        const ms = performance.now() - started;
        if (!error) return resolve({ code: 0, stdout, stderr, ms });
        const failure = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
        if (failure.killed) return reject(new Error(`${argv.slice(1).join(' ')}: killed after ${timeoutMs} ms\n${stderr}`));
        if (typeof failure.code === 'number') return resolve({ code: failure.code, stdout, stderr, ms });
        reject(error);
      });
    });
  }

  /** Everything every node logged, for failure messages. */
  logs(): string {
    return this.nodes.map((n) => `--- ${n.host.name} (exit ${JSON.stringify(n.process.exit)})\n${n.process.stderr}`).join('\n');
  }

  /** Kills every node (and so every process of its host) and removes every namespace and link. */
  async destroy(): Promise<void> {
    if (this.destroyed) return;
    await Promise.all(this.nodes.map((n) => n.process.kill('SIGKILL')));
    await Promise.all(this.nodes.map((n) => Promise.race([n.process.exited, new Promise((r) => setTimeout(r, 5000))])));
    this.destroySync();
  }

  /** Synchronous, for exit hooks: kills what is left in the lab's namespaces and removes them (and so their links). */
  destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    labs.delete(this);
    for (const ns of this.namespaces.reverse()) removeNamespace(ns);
  }
}
