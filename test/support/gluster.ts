// A real network filesystem on one machine: Debian's GlusterFS. glusterd (started here if it is not
// running, and stopped again by us if we started it), a one-brick volume on this machine's host name
// (127.0.0.1 is refused for bricks), and several FUSE mounts of it — each its own glusterfs client with
// its own caches (stock: attributes and entries about 1 s stale, no inotify across clients), as three
// hosts mounting one NFS export would be. Everything is removed by destroy(), or by an exit hook.
import { execFile, execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { waitUntil } from './wait.js';
import { isRunning, signalAll, waitSync } from './foreground.js';

const COMMAND_TIMEOUT_MS = 60_000;
const volumes = new Set<GlusterVolume>();
let exitHook = false;

function run(file: string, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(file, args, { timeout: COMMAND_TIMEOUT_MS }, (error, stdout, stderr) =>
      error ? reject(new Error(`${file} ${args.join(' ')}: ${(stderr || stdout).trim() || error.message}`)) : resolve(stdout));
  });
}

const gluster = (...args: string[]) => run('gluster', ['--mode=script', ...args]);

function onPath(command: string): boolean {
  return spawnSync('sh', ['-c', `command -v ${command}`], { stdio: 'ignore' }).status === 0;
}

/** How long a stopped glusterd may take to exit before the next volume starts one of its own. */
const GLUSTERD_EXIT_MS = 15_000;

/** Live glusterd processes: a stopped one may stay a zombie a while (its parent is init, reaping when it will). */
function glusterdPids(): number[] {
  const found = spawnSync('pgrep', ['-x', 'glusterd'], { encoding: 'utf8' });
  return found.stdout.split('\n').filter(Boolean).map(Number).filter(isRunning);
}

/** Whether glusterd still serves a volume (of another test process: this one's are deleted first). */
function otherVolumesExist(): boolean {
  const listed = spawnSync('gluster', ['--mode=script', 'volume', 'list'], { encoding: 'utf8', timeout: COMMAND_TIMEOUT_MS });
  return listed.status === 0 && listed.stdout.split('\n').some((line) => line.trim() && !/^No volumes present/.test(line.trim()));
}

/** Why GlusterFS cannot run here, or null when it can (root, the Debian packages, /dev/fuse). */
export function glusterUnavailable(): string | null {
  if (process.getuid?.() !== 0) return 'needs root (glusterd, mount)';
  for (const command of ['glusterd', 'gluster', 'mount.glusterfs']) {
    if (!onPath(command)) return `${command} is not installed (apt-get install glusterfs-server glusterfs-client; .ci/run does)`;
  }
  if (!fs.existsSync('/dev/fuse')) return 'no /dev/fuse in this machine (FUSE mounts impossible)';
  return null;
}

export class GlusterVolume {
  private destroyed = false;

  private constructor(readonly name: string, readonly bricks: string[], readonly mounts: string[], private readonly startedGlusterd: number[]) {}

  /**
   * A fresh volume with `mountCount` FUSE mounts under `dir` (`dir/m1`…), on `brickCount` bricks: two or
   * more make a distribute volume, where a file's name picks its brick and a rename across bricks is a
   * link file on the new name's brick, then an unlink.
   */
  static async create(dir: string, mountCount = 3, brickCount = 1): Promise<GlusterVolume> {
    if (!exitHook) {
      exitHook = true;
      process.on('exit', () => { for (const volume of volumes) volume.destroySync(); });
    }
    const before = glusterdPids();
    if (before.length === 0) execFileSync('glusterd', [], { stdio: 'ignore', timeout: COMMAND_TIMEOUT_MS });
    const started = before.length === 0 ? await waitUntil('glusterd to start', () => glusterdPids().length ? glusterdPids() : undefined, 20_000, 100) : [];
    await waitUntil('glusterd to answer', () => gluster('volume', 'list').then(() => true, () => false), 30_000, 250);
    const name = `rdtest${process.pid}${randomBytes(3).toString('hex')}`;
    fs.mkdirSync(dir, { recursive: true });
    const bricks = Array.from({ length: brickCount }, (_, i) => path.join(dir, i === 0 ? 'brick' : `brick${i + 1}`));
    const mounts = Array.from({ length: mountCount }, (_, i) => path.join(dir, `m${i + 1}`));
    const volume = new GlusterVolume(name, bricks, mounts, started);
    volumes.add(volume);
    try {
      await gluster('volume', 'create', name, ...bricks.map((brick) => `${os.hostname()}:${brick}`), 'force');
      await gluster('volume', 'start', name);
      for (const mount of mounts) {
        fs.mkdirSync(mount, { recursive: true });
        await run('mount', ['-t', 'glusterfs', `${os.hostname()}:/${name}`, mount]);
      }
    } catch (error) {
      await volume.destroy();
      throw error;
    }
    return volume;
  }

  /** The brick server processes (glusterfsd) of this volume. */
  brickPids(): number[] {
    const found = spawnSync('pgrep', ['-f', `glusterfsd.*${this.name}`], { encoding: 'utf8' });
    return found.stdout.split('\n').filter(Boolean).map(Number);
  }

  /**
   * The filer drops out for `ms`: its brick processes are killed (every call on the mounts fails with
   * ENOTCONN meanwhile, as on a soft NFS mount whose server rebooted) and started again.
   */
  async outage(ms: number): Promise<void> {
    const pids = this.brickPids();
    if (pids.length === 0) throw new Error(`volume ${this.name}: no brick process to stop`);
    for (const pid of pids) process.kill(pid, 'SIGKILL');
    await new Promise((resolve) => setTimeout(resolve, ms));
    await gluster('volume', 'start', this.name, 'force');
    await waitUntil('the bricks back', () => this.brickPids().length >= this.bricks.length ? true : undefined, 30_000, 100);
  }

  /** The filer hangs for `ms`: its brick processes stopped (every call on the mounts waits), then resumed. */
  async hang(ms: number): Promise<void> {
    const pids = this.brickPids();
    for (const pid of pids) process.kill(pid, 'SIGSTOP');
    await new Promise((resolve) => setTimeout(resolve, ms));
    signalAll(pids, 'SIGCONT');
  }

  /** Unmounts, stops and deletes the volume, and stops glusterd if we started it. */
  async destroy(): Promise<void> {
    this.destroySync();
  }

  destroySync(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    volumes.delete(this);
    const quiet = { stdio: 'ignore' as const, timeout: COMMAND_TIMEOUT_MS };
    for (const mount of this.mounts) {
      if (spawnSync('umount', [mount], quiet).status !== 0) spawnSync('umount', ['-l', mount], quiet);
    }
    spawnSync('gluster', ['--mode=script', 'volume', 'stop', this.name, 'force'], quiet);
    spawnSync('gluster', ['--mode=script', 'volume', 'delete', this.name], quiet);
    for (const brick of this.bricks) fs.rmSync(brick, { recursive: true, force: true });
    // another test process's volume may be on the glusterd this one started: it stays for that one
    if (this.startedGlusterd.length === 0 || otherVolumesExist()) return;
    signalAll(this.startedGlusterd, 'SIGTERM');
    // a glusterd still shutting down would be taken by the next volume for a live one, which never answers
    waitSync(() => !this.startedGlusterd.some(isRunning), GLUSTERD_EXIT_MS);
  }
}
