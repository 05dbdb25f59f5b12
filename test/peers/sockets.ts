// Raw-socket helpers for the server and client tests: connect, read a line, wait for a close.
import net from 'node:net';
import { encodeMessage } from '../../src/peers/codec.js';
import { composeRequest } from '../../src/peers/envelope.js';
import type { RequestDraft } from '../../src/peers/messages.js';
import type { PeerAddress } from '../../src/peers/client.js';

export function connectRaw(address: PeerAddress): Promise<net.Socket> {
  return new Promise((resolve, reject) => {
    const socket = 'path' in address ? net.createConnection(address.path) : net.createConnection(address.port, address.host);
    socket.once('connect', () => resolve(socket));
    socket.once('error', reject);
  });
}

/** Resolves when the socket is closed (by either side), with how long that took. */
export function closedWithin(socket: net.Socket): Promise<number> {
  const startMs = performance.now();
  socket.on('error', () => undefined); // a reset from the server is one way of being closed
  return new Promise((resolve) => {
    if (socket.destroyed) resolve(0);
    else socket.once('close', () => resolve(performance.now() - startMs));
  });
}

/** Resolves with the next line the socket receives, or undefined if it closes first. */
export function nextLine(socket: net.Socket): Promise<string | undefined> {
  return new Promise((resolve) => {
    let text = '';
    const onData = (chunk: Buffer) => {
      text += chunk.toString('utf8');
      const end = text.indexOf('\n');
      if (end === -1) return;
      socket.off('data', onData).off('close', onClose);
      resolve(text.slice(0, end));
    };
    const onClose = () => resolve(undefined);
    socket.on('data', onData).once('close', onClose);
  });
}

/** The recipient the test servers answer as (server.test.ts starts them as node-a, instance inst-a). */
export const TEST_RECIPIENT = { node: 'node-a', instance: 'inst-a' };

export function signedLine(key: Buffer, draft: RequestDraft, from = 'test-tool', to = TEST_RECIPIENT): string {
  return encodeMessage(key, composeRequest(draft, { from, wallMs: Date.now() }, to)) + '\n';
}
