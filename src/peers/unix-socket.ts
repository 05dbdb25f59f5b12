// Claiming a Unix socket path: clear a stale socket left by a crash, never someone else's file or live socket.
import fs from 'node:fs/promises';
import net from 'node:net';
import { FarmError } from '../errors.js';

/** How long to wait for an existing socket to answer before calling it stale. */
const PROBE_TIMEOUT_MS = 1000;

export async function removeStaleSocket(socketPath: string): Promise<void> {
  let stat;
  try {
    stat = await fs.lstat(socketPath);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw new FarmError('EPEERSOCKET', `${socketPath}: cannot check the peer socket path: ${(error as Error).message}`, { cause: error });
  }
  if (!stat.isSocket()) throw new FarmError('EPEERSOCKET', `${socketPath}: exists and is not a socket; not removing it`);
  if (await isListening(socketPath)) throw new FarmError('EPEERSOCKET', `${socketPath}: another process is already listening on this socket`);
  try {
    await fs.unlink(socketPath);
  } catch (error) {
    // Another starter removed it first: the path is free, which is all we need.
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw new FarmError('EPEERSOCKET', `${socketPath}: cannot remove the stale socket: ${(error as Error).message}`, { cause: error });
  }
}

function isListening(socketPath: string): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = net.createConnection(socketPath);
    const done = (listening: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(listening);
    };
    // A listener that accepts but is too busy to be quick is still alive: only a refusal means stale.
    const timer = setTimeout(() => done(true), PROBE_TIMEOUT_MS);
    socket.once('connect', () => done(true));
    socket.once('error', (error: NodeJS.ErrnoException) => done(error.code !== 'ECONNREFUSED' && error.code !== 'ENOENT'));
  });
}
