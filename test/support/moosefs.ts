// A real network filesystem on one machine: Debian's MooseFS 3.0.117. The master runs on a test host of
// its own (a network namespace, see netns.ts: the chunkserver refuses a master on a loopback address), one
// chunkserver on this side of the veth stores the chunks in a folder of the test's temp dir, and several
// mfsmount FUSE mounts each act as a separate host's client with its own stock caches (attributes 1 s,
// directory listings 1 s, no entry or negative-entry cache, file data as the master allows). All daemons
// are children of this process, in the foreground; destroy(), or an exit hook, unmounts, kills them and
// deletes the namespace.
//
// Observed (3.0.117, stock mfsioretries=30): while the master is down or stopped, calls on the mounts do
// not fail at once: mfsmount holds each call and retries, and the call completes when the master answers
// again. Only a long outage fails them, with EIO: a create after ~132 s, a stat or a mkdir after ~264 s.
import { spawnSync, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { sleep, waitUntil } from './wait.js';
import { childrenOf, isRunning, readLog, signalAll, startDaemon, waitSync } from './foreground.js';
import { claimTestHost, netnsUnavailable, removeTestHost, type TestHost } from './netns.js';
import { chunkserverConfig, EMPTY_METADATA_FILE, exportsConfig, hddConfig, MASTER_CLIENT_PORT, masterConfig } from './moosefs-config.js';

const START_TIMEOUT_MS = 30_000;
const UNMOUNT_TIMEOUT_MS = 10_000;
const EXIT_TIMEOUT_MS = 5_000;
// what mfschunkserver -f prints on stderr each time it (re)registers with the master
const CHUNKSERVER_CONNECTED = /connected to Master/g;

const volumes = new Set<MooseVolume>();
let exitHook = false;
let unavailable: string | null | undefined;

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** Why MooseFS cannot run here (not root, packages missing, no /dev/fuse, no network namespaces), or null. */
export function mooseUnavailable(): string | null {
  if (unavailable !== undefined) return unavailable;
  unavailable = findWhyUnavailable();
  return unavailable;
}

function findWhyUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (ip netns, mount)';
  for (const [command, pkg] of [['mfsmaster', 'moosefs-master'], ['mfschunkserver', 'moosefs-chunkserver'], ['mfsmount', 'moosefs-client'], ['ip', 'iproute2']]) {
    if (!onPath(command)) return `${command} is not installed (apt-get install ${pkg}; .ci/run does)`;
  }
  if (!fs.existsSync(EMPTY_METADATA_FILE)) return `${EMPTY_METADATA_FILE} is missing (moosefs-master's seed for a new filesystem)`;
  if (!fs.existsSync('/dev/fuse')) return 'no /dev/fuse in this machine (FUSE mounts impossible)';
  return netnsUnavailable();
}

/** The mount points under `dir` in this machine's mount table (this process's mount namespace). */
export function mountsUnder(dir: string): string[] {
  const unescape = (field: string) => field.replace(/\\([0-7]{3})/g, (_, octal: string) => String.fromCharCode(parseInt(octal, 8)));
  return fs.readFileSync('/proc/self/mountinfo', 'utf8').split('\n')
    .map((line) => unescape(line.split(' ')[4] ?? ''))
    .filter((point) => point === dir || point.startsWith(`${dir}/`));
}

function answersTcp(host: string, port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.connect({ host, port, timeout: 1_000 });
    const done = (ok: boolean) => { socket.destroy(); resolve(ok); };
    socket.once('connect', () => done(true));
    socket.once('error', () => done(false));
    socket.once('timeout', () => done(false));
  });
}

export class MooseVolume {
  private destroyed = false;
  private master: ChildProcess | undefined;
  private chunkserver: ChildProcess | undefined;
  private readonly clients: ChildProcess[] = [];

  private constructor(readonly dir: string, readonly host: TestHost, readonly mounts: string[]) {}

  private get masterConfigFile() { return path.join(this.dir, 'master', 'mfsmaster.cfg'); }
  private get chunkserverLog() { return path.join(this.dir, 'chunkserver.log'); }
  private get masterLog() { return path.join(this.dir, 'master.log'); }

  /** The namespace the master runs in (gone after destroy). */
  get netns(): string { return this.host.netns; }

  /** The master's pid now (a new one after each outage). */
  get masterPid(): number | undefined { return this.master?.pid; }

  /** Every process of this volume: master (with its changelog writer), chunkserver, mfsmount clients. */
  pids(): number[] {
    const daemons = [this.master, this.chunkserver, ...this.clients].map((child) => child?.pid).filter((pid): pid is number => pid !== undefined);
    return [...daemons, ...daemons.flatMap(childrenOf)].filter(isRunning);
  }

  /** A fresh filesystem with `mountCount` FUSE mounts under `dir` (`dir/m1`…). */
  static async create(dir: string, mountCount = 3): Promise<MooseVolume> {
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => { for (const volume of volumes) volume.destroySync(); });
    }
    fs.mkdirSync(dir, { recursive: true });
    const mounts = Array.from({ length: mountCount }, (_, i) => path.join(dir, `m${i + 1}`));
    const volume = new MooseVolume(dir, claimTestHost('rdmfs'), mounts);
    volumes.add(volume);
    try {
      volume.writeConfig();
      await volume.startMaster();
      await volume.startChunkserver();
      for (const mount of mounts) await volume.mount(mount);
      await volume.waitSpace();
    } catch (error) {
      await volume.destroy();
      throw error;
    }
    return volume;
  }

  private writeConfig(): void {
    const masterDir = path.join(this.dir, 'master');
    const chunkDir = path.join(this.dir, 'chunkserver');
    fs.mkdirSync(masterDir, { recursive: true });
    fs.mkdirSync(path.join(chunkDir, 'hdd'), { recursive: true });
    const exportsFile = path.join(masterDir, 'mfsexports.cfg');
    const topologyFile = path.join(masterDir, 'mfstopology.cfg');
    fs.writeFileSync(exportsFile, exportsConfig(this.host.subnet));
    fs.writeFileSync(topologyFile, '');
    fs.copyFileSync(EMPTY_METADATA_FILE, path.join(masterDir, 'metadata.mfs'));
    fs.writeFileSync(this.masterConfigFile, masterConfig({ dataPath: masterDir, exportsFile, topologyFile, listenAddress: this.host.address }));
    const hddFile = path.join(chunkDir, 'mfshdd.cfg');
    fs.writeFileSync(hddFile, hddConfig(path.join(chunkDir, 'hdd')));
    fs.writeFileSync(path.join(chunkDir, 'mfschunkserver.cfg'),
      chunkserverConfig({ dataPath: chunkDir, hddFile, masterAddress: this.host.address, bindAddress: this.host.hostAddress }));
    // an empty client config: a /etc/mfs/mfsmount.cfg of this machine would change the clients' options
    fs.writeFileSync(path.join(this.dir, 'mfsmount.cfg'), '');
  }

  /**
   * `-a`: after a kill the master finds metadata.mfs.back and change logs, not metadata.mfs, and refuses
   * to start without it ("can't find metadata.mfs - try using option '-a'"); on a first start it is moot.
   */
  private async startMaster(): Promise<void> {
    this.master = startDaemon('ip', ['netns', 'exec', this.host.netns, 'mfsmaster', '-a', '-f', '-c', this.masterConfigFile], this.masterLog);
    const master = this.master;
    await waitUntil('the MooseFS master to listen', () => {
      if (master.exitCode !== null) throw new Error(`mfsmaster exited (${master.exitCode}): ${readLog(this.masterLog).slice(-2000)}`);
      return answersTcp(this.host.address, MASTER_CLIENT_PORT);
    }, START_TIMEOUT_MS, 100);
  }

  private async startChunkserver(): Promise<void> {
    this.chunkserver = startDaemon('mfschunkserver', ['-f', '-c', path.join(this.dir, 'chunkserver', 'mfschunkserver.cfg')], this.chunkserverLog);
    await this.waitChunkserverConnected(0);
  }

  private chunkserverConnections(): number {
    return readLog(this.chunkserverLog).match(CHUNKSERVER_CONNECTED)?.length ?? 0;
  }

  /** Until the chunkserver has registered with the master more than `before` times (writes wait for it). */
  private async waitChunkserverConnected(before: number): Promise<void> {
    const chunkserver = this.chunkserver!;
    await waitUntil('the chunkserver to register with the master', () => {
      if (chunkserver.exitCode !== null) throw new Error(`mfschunkserver exited (${chunkserver.exitCode}): ${readLog(this.chunkserverLog).slice(-2000)}`);
      return this.chunkserverConnections() > before;
    }, START_TIMEOUT_MS, 100);
  }

  /**
   * Until the master counts the chunkserver's space: a mount's statfs shows 0 blocks before (~1.5 s after
   * the chunkserver registered), and a first write waits that long for a chunk.
   */
  private async waitSpace(): Promise<void> {
    if (this.mounts.length === 0) return;
    await waitUntil("the master to count the chunkserver's space", async () => (await fs.promises.statfs(this.mounts[0])).blocks > 0, START_TIMEOUT_MS, 100);
  }

  private async mount(mount: string): Promise<void> {
    fs.mkdirSync(mount, { recursive: true });
    const log = path.join(this.dir, `${path.basename(mount)}.log`);
    const client = startDaemon('mfsmount', ['-f', '-c', path.join(this.dir, 'mfsmount.cfg'), '-H', this.host.address, '-P', String(MASTER_CLIENT_PORT), mount], log);
    this.clients.push(client);
    await waitUntil(`mfsmount on ${mount}`, () => {
      if (client.exitCode !== null) throw new Error(`mfsmount exited (${client.exitCode}): ${readLog(log).slice(-2000)}`);
      return mountsUnder(mount).includes(mount);
    }, START_TIMEOUT_MS, 50);
  }

  /**
   * The filer drops out for `ms`: the master is SIGKILLed, started again after `ms` (replaying its change
   * logs), and this returns once the chunkserver is registered again and its space counted (~2 s after
   * the restart). Meanwhile calls on the mounts do not fail: mfsmount holds them and retries, and they
   * complete once the master is back (an outage past ~130 s would fail them with EIO).
   */
  async outage(ms: number): Promise<void> {
    const master = this.master;
    if (!master?.pid || master.exitCode !== null) throw new Error(`MooseFS ${this.netns}: no master to stop`);
    const connections = this.chunkserverConnections();
    const pids = [master.pid, ...childrenOf(master.pid)];
    signalAll(pids, 'SIGKILL');
    // polled: the children are unref'd, so awaiting their 'exit' event alone would let Node exit
    await waitUntil('the killed master to exit', () => !pids.some(isRunning), EXIT_TIMEOUT_MS, 20);
    await sleep(ms);
    await this.startMaster();
    await this.waitChunkserverConnected(connections);
    await this.waitSpace();
  }

  /**
   * The filer hangs for `ms`: the master (and its changelog writer) SIGSTOPped, then SIGCONTinued. Calls
   * on the mounts wait meanwhile and complete after it. Past ~10 s the chunkserver gives the connection up
   * and makes a new one ("masterconn: connection timed out"): the first write after a 15 s hang took 1.4 s.
   */
  async hang(ms: number): Promise<void> {
    const pid = this.master?.pid;
    if (pid === undefined) throw new Error(`MooseFS ${this.netns}: no master to stop`);
    const pids = [pid, ...childrenOf(pid)];
    signalAll(pids, 'SIGSTOP');
    try {
      await sleep(ms);
    } finally {
      signalAll(pids, 'SIGCONT');
    }
  }

  /** Unmounts, kills every daemon and deletes the namespace and veth; the data folders are left to the caller's temp dir. */
  async destroy(): Promise<void> {
    this.destroySync();
  }

  /** Synchronous for the exit hook; waits at most a few seconds per step. */
  destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    volumes.delete(this);
    const pids = this.pids();
    signalAll(pids, 'SIGCONT'); // a hang() cut short leaves the master stopped, and every unmount waiting on it
    // a client asked to stop unmounts its own mount; one that did not is detached lazily, then killed
    signalAll(this.clients.map((c) => c.pid).filter((pid): pid is number => pid !== undefined), 'SIGTERM');
    waitSync(() => this.mounts.every((m) => !mountsUnder(m).includes(m)), UNMOUNT_TIMEOUT_MS);
    for (const mount of this.mounts) {
      if (mountsUnder(mount).includes(mount)) spawnSync('umount', ['-l', mount], { stdio: 'ignore', timeout: UNMOUNT_TIMEOUT_MS });
    }
    signalAll(this.pids(), 'SIGKILL');
    removeTestHost(this.host);
    waitSync(() => pids.every((pid) => !isRunning(pid)), EXIT_TIMEOUT_MS);
  }
}
