// An sshfs mount of a local folder, as a node on another host would see a spool: sshd on loopback
// with keys made here, and sshfs with its attribute and listing cache on. Everything is undone by close().
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import path from 'node:path';
import { waitUntil } from '../support/index.js';

export const SSHFS_CACHE_S = 6;

export function canMountSshfs(): boolean {
  return fs.existsSync('/dev/fuse') && fs.existsSync('/usr/sbin/sshd') && ['sshfs', 'ssh-keygen', 'fusermount'].every((cmd) => {
    try { execFileSync('sh', ['-c', `command -v ${cmd}`], { stdio: 'ignore' }); return true; } catch { return false; }
  });
}

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer().listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    }).on('error', reject);
  });
}

export interface SshfsMount { mountPoint: string; close(): Promise<void> }

/** Mounts `source` (a local folder) at `mountPoint` over sftp to 127.0.0.1; `work` holds keys and config. */
export async function mountSshfs(source: string, mountPoint: string, work: string): Promise<SshfsMount> {
  fs.mkdirSync(work, { recursive: true });
  fs.mkdirSync(mountPoint, { recursive: true });
  fs.mkdirSync('/run/sshd', { recursive: true });
  for (const key of ['host_key', 'user_key']) execFileSync('ssh-keygen', ['-q', '-t', 'ed25519', '-N', '', '-f', path.join(work, key)]);
  fs.copyFileSync(path.join(work, 'user_key.pub'), path.join(work, 'authorized_keys'));
  const port = await freePort();
  fs.writeFileSync(path.join(work, 'sshd_config'), [
    'ListenAddress 127.0.0.1', `Port ${port}`, `HostKey ${work}/host_key`, `AuthorizedKeysFile ${work}/authorized_keys`,
    'PermitRootLogin prohibit-password', 'PasswordAuthentication no', 'StrictModes no', 'UsePAM no', `PidFile ${work}/sshd.pid`,
    'Subsystem sftp internal-sftp', '',
  ].join('\n'));
  const sshd: ChildProcess = spawn('/usr/sbin/sshd', ['-D', '-e', '-f', path.join(work, 'sshd_config')], { stdio: ['ignore', 'ignore', 'pipe'] });
  let log = '';
  sshd.stderr?.setEncoding('utf8').on('data', (text: string) => { log += text; });
  const stopSshd = async () => {
    if (sshd.exitCode !== null || sshd.signalCode !== null) return;
    const gone = new Promise((resolve) => sshd.once('exit', resolve));
    sshd.kill('SIGTERM');
    await gone;
  };
  try {
    await waitUntil('sshd to listen', () => log.includes('Server listening'), 10_000, 50);
    execFileSync('sshfs', ['-o', [`IdentityFile=${work}/user_key`, 'StrictHostKeyChecking=no', 'UserKnownHostsFile=/dev/null', 'LogLevel=ERROR', `port=${port}`,
      'cache=yes', `cache_timeout=${SSHFS_CACHE_S}`, `dcache_timeout=${SSHFS_CACHE_S}`].join(','), `root@127.0.0.1:${source}`, mountPoint], { timeout: 30_000 });
  } catch (error) {
    await stopSshd();
    throw new Error(`sshfs mount failed: ${(error as Error).message}\n${log}`);
  }
  return {
    mountPoint,
    async close() {
      try { execFileSync('fusermount', ['-u', '-z', mountPoint], { timeout: 30_000 }); } catch { /* already unmounted */ }
      await stopSshd();
    },
  };
}
