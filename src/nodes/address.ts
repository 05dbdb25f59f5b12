// Where a node can be reached: the TCP address it advertises to other hosts, and the Unix socket
// tools on the same host use. Sockets do not work across NFS, so they live in a local runtime folder.
import os from 'node:os';
import path from 'node:path';
import { createHash } from 'node:crypto';

/** The first non-internal IPv4 address of this host; loopback when there is none. */
export function defaultAdvertiseHost(): string {
  for (const addresses of Object.values(os.networkInterfaces())) {
    for (const address of addresses ?? []) {
      if (address.family === 'IPv4' && !address.internal) return address.address;
    }
  }
  return '127.0.0.1';
}

/** Unix socket paths must stay under ~100 bytes: name the socket by a hash of spool and node. */
export function localSocketPath(spool: string, node: string, env: NodeJS.ProcessEnv = process.env): string {
  const base = env.XDG_RUNTIME_DIR || path.join(os.tmpdir(), `renderd-${os.userInfo().uid}`);
  const id = createHash('sha256').update(`${path.resolve(spool)}\0${node}`).digest('hex').slice(0, 16);
  return path.join(base, 'renderd', `${id}.sock`);
}
