// The listening edge: TCP and/or a Unix socket, a shared connection cap, one replay guard.
import fs from 'node:fs/promises';
import net from 'node:net';
import { FarmError } from '../errors.js';
import { FARM_KEY_BYTES } from './codec.js';
import { systemClock, type Clock } from './clock.js';
import { serveConnection, type ConnectionContext, type PeerHandler, type PeerInfo, type PeerLog } from './connection.js';
import { SAFE_NAME } from './fields.js';
import { DEFAULT_MAX_LINE_BYTES } from './framing.js';
import { ReplayGuard } from './replay.js';
import { throttleWarning } from './throttle.js';
import { removeStaleSocket } from './unix-socket.js';

export const DEFAULT_MAX_CONNECTIONS = 64;
export const DEFAULT_READ_TIMEOUT_MS = 5000;

export interface PeerServerOptions {
  key: Buffer;
  /** This node's name: the `from` of every reply, and the `to.node` every request must carry. */
  name: string;
  /** This node's instance: the `to.instance` every request must carry (unchecked when not given). */
  instance?: string;
  /** port 0 picks a free port; the one chosen is in `PeerServer.tcp`. */
  tcp?: { host: string; port: number };
  unixPath?: string;
  handle: PeerHandler;
  log: PeerLog;
  /** Open connections over both listeners together; more are closed at once. */
  maxConnections?: number;
  /** Time a connection has to deliver each complete request (and have it answered). */
  readTimeoutMs?: number;
  maxLineBytes?: number;
  clock?: Clock;
  guard?: ReplayGuard;
}

export interface PeerServer {
  readonly tcp?: { host: string; port: number };
  readonly unixPath?: string;
  readonly connectionCount: number;
  /** Stops listening, drops every open connection, removes the socket file. */
  close(): Promise<void>;
}

type ResolvedOptions = Readonly<Required<Omit<PeerServerOptions, 'tcp' | 'unixPath' | 'instance'>> & Pick<PeerServerOptions, 'tcp' | 'unixPath' | 'instance'>>;

export async function startPeerServer(rawOptions: PeerServerOptions): Promise<PeerServer> {
  const options = resolveOptions(rawOptions);
  const sockets = new Set<net.Socket>();
  const dropped = throttleWarning((message) => options.log.warn(message), () => options.clock.monotonicMs());
  const ctx: ConnectionContext = { ...options, refusals: throttleWarning((message) => options.log.warn(message), () => options.clock.monotonicMs()) };
  let connectionNumber = 0;

  function accept(socket: net.Socket, transport: PeerInfo['transport']): void {
    const peer = describePeer(socket, transport, ++connectionNumber);
    if (sockets.size >= options.maxConnections) {
      dropped.warn(`peers: ${peer.label}: over ${options.maxConnections} open connections; closed at once`);
      socket.on('error', () => undefined); // the peer may reset while we close: nothing to do
      socket.destroy();
      return;
    }
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
    if (transport === 'tcp') socket.setNoDelay(true);
    serveConnection(socket, peer, ctx);
  }

  const listeners: net.Server[] = [];
  let tcp: PeerServer['tcp'];
  try {
    if (options.unixPath) listeners.push(await listenUnix(options.unixPath, (socket) => accept(socket, 'unix'), options.log));
    if (options.tcp) {
      const server = await listenTcp(options.tcp, (socket) => accept(socket, 'tcp'), options.log);
      listeners.push(server);
      tcp = { host: options.tcp.host, port: (server.address() as net.AddressInfo).port };
    }
  } catch (error) {
    await Promise.all(listeners.map(closeListener));
    throw error;
  }

  let closing: Promise<void> | undefined;
  return {
    tcp,
    unixPath: options.unixPath,
    get connectionCount() { return sockets.size; },
    close() {
      closing ??= (async () => {
        const closed = listeners.map(closeListener);
        for (const socket of sockets) socket.destroy();
        await Promise.all(closed);
      })();
      return closing;
    },
  };
}

function resolveOptions(raw: PeerServerOptions): ResolvedOptions {
  if (!Buffer.isBuffer(raw.key) || raw.key.length !== FARM_KEY_BYTES) throw new TypeError(`startPeerServer: key must be the ${FARM_KEY_BYTES}-byte farm key`);
  if (typeof raw.name !== 'string' || !SAFE_NAME.test(raw.name)) throw new TypeError(`startPeerServer: name must be letters, digits and ._:@+=- (at most 128), got ${JSON.stringify(raw.name)}`);
  if (!raw.tcp && !raw.unixPath) throw new TypeError('startPeerServer: give tcp, unixPath or both');
  if (raw.tcp && !(Number.isInteger(raw.tcp.port) && raw.tcp.port >= 0 && raw.tcp.port <= 65535)) throw new TypeError(`startPeerServer: tcp.port must be 0-65535, got ${raw.tcp.port}`);
  if (typeof raw.handle !== 'function') throw new TypeError('startPeerServer: handle must be a function');
  const options = {
    ...raw,
    maxConnections: raw.maxConnections ?? DEFAULT_MAX_CONNECTIONS,
    readTimeoutMs: raw.readTimeoutMs ?? DEFAULT_READ_TIMEOUT_MS,
    maxLineBytes: raw.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES,
    clock: raw.clock ?? systemClock,
    guard: raw.guard ?? new ReplayGuard(),
  };
  for (const name of ['maxConnections', 'readTimeoutMs', 'maxLineBytes'] as const) {
    if (!Number.isInteger(options[name]) || options[name] < 1) throw new TypeError(`startPeerServer: ${name} must be a whole number ≥ 1, got ${options[name]}`);
  }
  return Object.freeze(options);
}

async function listenUnix(socketPath: string, onConnection: (socket: net.Socket) => void, log: PeerLog): Promise<net.Server> {
  await removeStaleSocket(socketPath);
  const server = await listen(net.createServer({ allowHalfOpen: true }, onConnection), { path: socketPath }, `unix socket ${socketPath}`, log);
  try {
    // Between listen and chmod the socket has umask's mode; harmless, since every frame must carry the MAC.
    await fs.chmod(socketPath, 0o600);
  } catch (error) {
    await closeListener(server);
    throw new FarmError('EPEERSOCKET', `${socketPath}: cannot make the peer socket private (chmod 600): ${(error as Error).message}`, { cause: error });
  }
  return server;
}

function listenTcp(address: { host: string; port: number }, onConnection: (socket: net.Socket) => void, log: PeerLog): Promise<net.Server> {
  return listen(net.createServer({ allowHalfOpen: true }, onConnection), { host: address.host, port: address.port }, `tcp ${address.host}:${address.port}`, log);
}

function listen(server: net.Server, where: net.ListenOptions, what: string, log: PeerLog): Promise<net.Server> {
  return new Promise((resolve, reject) => {
    server.once('error', (error) => reject(new FarmError('EPEERLISTEN', `cannot listen on ${what}: ${error.message}`, { cause: error })));
    server.listen(where, () => {
      server.removeAllListeners('error');
      server.on('error', (error) => log.warn(`peers: ${what}: ${error.message}`));
      resolve(server);
    });
  });
}

function closeListener(server: net.Server): Promise<void> {
  return new Promise((resolve) => server.close(() => resolve()));
}

function describePeer(socket: net.Socket, transport: PeerInfo['transport'], number: number): PeerInfo {
  if (transport === 'unix') return { transport, label: `unix #${number}` };
  const { remoteAddress, remotePort } = socket;
  return { transport, remoteAddress, remotePort, label: `tcp ${remoteAddress}:${remotePort} #${number}` };
}
