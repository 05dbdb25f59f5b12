// The filesystems a fault cell runs on: one spool, seen by each node through its own mount where the
// filesystem has mounts (each a client with its own caches, as separate hosts would have).
import { execFileSync, spawnSync } from 'node:child_process';
import fs from 'node:fs';
import path from 'node:path';
import { GlusterVolume, glusterUnavailable } from '../support/gluster.js';
import { canMountSshfs, mountSshfs, type SshfsMount } from '../doctor/sshfs.js';
import { MooseVolume, mooseUnavailable } from '../support/moosefs.js';

export interface FaultSpool {
  /** The spool as each node sees it (node i uses spools[i]). */
  spools: string[];
  /** The filer drops out for `ms` (every call fails), then comes back. */
  outage?(ms: number): Promise<void>;
  /** The filer hangs for `ms` (every call waits), then answers again. */
  hang?(ms: number): Promise<void>;
  /** Fills the filesystem (ENOSPC for every write); returns the way to free it. */
  fill?(): Promise<() => Promise<void>>;
  tearDown(): Promise<void>;
}

export type Capability = 'outage' | 'hang' | 'fill';

export interface FilesystemKind {
  name: string;
  /** The filer faults this filesystem can be put through here. */
  offers: Capability[];
  /** Why it cannot run here, or null. */
  unavailable(): string | null;
  make(dir: string, nodes: number): Promise<FaultSpool>;
}

const isRoot = () => process.getuid?.() === 0;

/** A local filesystem of its own (tmpfs, 256 MiB), so that filling it fills only the spool. */
const local: FilesystemKind = {
  name: 'local',
  offers: ['fill'],
  unavailable: () => (isRoot() ? null : 'needs root (mount -t tmpfs)'),
  async make(dir, nodes) {
    const mount = path.join(dir, 'local');
    fs.mkdirSync(mount, { recursive: true });
    execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=256m', 'tmpfs', mount]);
    const spool = path.join(mount, 'spool');
    const filler = path.join(mount, 'filler');
    return {
      spools: Array.from({ length: nodes }, () => spool),
      async fill() {
        // dd stops at ENOSPC: the filesystem is full to its last block
        spawnSync('dd', ['if=/dev/zero', `of=${filler}`, 'bs=1M'], { stdio: 'ignore' });
        return async () => fs.rmSync(filler, { force: true });
      },
      async tearDown() {
        if (spawnSync('umount', [mount], { stdio: 'ignore' }).status !== 0) spawnSync('umount', ['-l', mount], { stdio: 'ignore' });
      },
    };
  },
};

function gluster(bricks: number): FilesystemKind {
  return {
    name: bricks === 1 ? 'gluster-1' : `gluster-${bricks}`,
    offers: ['outage', 'hang'],
    unavailable: glusterUnavailable,
    async make(dir, nodes) {
      const volume = await GlusterVolume.create(path.join(dir, 'gluster'), nodes, bricks);
      return {
        spools: volume.mounts.map((m) => path.join(m, 'spool')),
        outage: (ms) => volume.outage(ms),
        hang: (ms) => volume.hang(ms),
        tearDown: () => volume.destroy(),
      };
    },
  };
}

/** A local folder seen by each node through an sshfs mount of its own, attribute and listing caches on. */
const sshfs: FilesystemKind = {
  name: 'sshfs',
  offers: [],
  unavailable: () => (!isRoot() ? 'needs root (sshd, FUSE)' : canMountSshfs() ? null : 'sshfs, sshd or /dev/fuse missing (.ci/run installs them)'),
  async make(dir, nodes) {
    const source = path.join(dir, 'sshfs-source');
    fs.mkdirSync(source, { recursive: true });
    const mounts: SshfsMount[] = [];
    try {
      for (let i = 0; i < nodes; i++) mounts.push(await mountSshfs(source, path.join(dir, `sshfs-m${i + 1}`), path.join(dir, `sshfs-work${i + 1}`)));
    } catch (error) {
      for (const mount of mounts) await mount.close();
      throw error;
    }
    return {
      spools: mounts.map((m) => path.join(m.mountPoint, 'spool')),
      async tearDown() { for (const mount of mounts) await mount.close(); },
    };
  },
};

/** MooseFS from Debian: its master in a network namespace of its own, a chunkserver, a client mount per node. */
const moosefs: FilesystemKind = {
  name: 'moosefs',
  offers: ['outage', 'hang'],
  unavailable: mooseUnavailable,
  async make(dir, nodes) {
    const volume = await MooseVolume.create(path.join(dir, 'moosefs'), nodes);
    return {
      spools: volume.mounts.map((m) => path.join(m, 'spool')),
      outage: (ms) => volume.outage(ms),
      hang: (ms) => volume.hang(ms),
      tearDown: () => volume.destroy(),
    };
  },
};

export const FILESYSTEMS: FilesystemKind[] = [local, sshfs, gluster(1), gluster(2), moosefs];
