// The calling edge: one request, one reply, one connection. Every failure is a result.
import net from 'node:net';
import { decodeMessage, encodeMessage } from './codec.js';
import { readClock, systemClock, type Clock } from './clock.js';
import { composeRequest } from './envelope.js';
import { DEFAULT_MAX_LINE_BYTES, LineReader } from './framing.js';
import { REPLIES_TO, type Recipient, type ReplyMessage, type RequestDraft } from './messages.js';
import { ReplayGuard } from './replay.js';

export const DEFAULT_REQUEST_TIMEOUT_MS = 5000;

export type PeerAddress = { host: string; port: number } | { path: string };

export interface SendRequestOptions {
  key: Buffer;
  address: PeerAddress;
  /** Node or tool name of the caller: the request's `from`. */
  from: string;
  /** The node instance the request is for: any other refuses it (farm invariant 8). */
  to: Recipient;
  msg: RequestDraft;
  /** For the whole exchange: connect, send, reply. */
  timeoutMs?: number;
  maxLineBytes?: number;
  clock?: Clock;
}

export type SendFailure = 'timeout' | 'refused' | 'unreachable' | 'closed' | 'bad-reply';
export type SendResult =
  | { ok: true; reply: ReplyMessage }
  | { ok: false; reason: SendFailure; detail: string; cause?: unknown };

/** Error codes meaning nobody listens there (a dead node, or a stale address in the registry). */
const REFUSED_CODES = new Set(['ECONNREFUSED', 'ENOENT', 'ENOTSOCK']);
const CLOSED_CODES = new Set(['ECONNRESET', 'EPIPE', 'ECONNABORTED']);

/**
 * Sends one request and waits for its reply. `{ok: true}` means the peer answered: the reply may
 * still be an `error` message. Throws only for a programming error (an invalid draft or key).
 */
export function sendRequest(options: SendRequestOptions): Promise<SendResult> {
  const clock = options.clock ?? systemClock;
  const timeoutMs = options.timeoutMs ?? DEFAULT_REQUEST_TIMEOUT_MS;
  const maxLineBytes = options.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  const request = composeRequest(options.msg, { from: options.from, wallMs: clock.wallMs() }, options.to);
  const line = encodeMessage(options.key, request) + '\n';
  // Replies are bound to our fresh random request id, so a private guard is all the replay check needs.
  const guard = new ReplayGuard({ maxEntries: 4 });
  const reader = new LineReader(maxLineBytes);
  const where = 'path' in options.address ? options.address.path : `${options.address.host}:${options.address.port}`;

  return new Promise((resolve) => {
    const socket = 'path' in options.address
      ? net.createConnection({ path: options.address.path, allowHalfOpen: false })
      : net.createConnection({ host: options.address.host, port: options.address.port, noDelay: true });
    const timer = setTimeout(() => settle({ ok: false, reason: 'timeout', detail: `${where}: no reply within ${timeoutMs} ms` }), timeoutMs);
    let settled = false;

    function settle(result: SendResult): void {
      if (settled) return;
      settled = true;
      clearTimeout(timer);
      socket.destroy();
      resolve(result);
    }

    socket.once('connect', () => socket.write(line));
    socket.on('data', (chunk: Buffer) => {
      const [first] = reader.push(chunk);
      if (!first) return;
      if (!first.ok) return settle({ ok: false, reason: 'bad-reply', detail: `${where}: reply over ${maxLineBytes} bytes` });
      const decoded = decodeMessage(options.key, first.line, { guard, now: readClock(clock), maxLineBytes });
      if (!decoded.ok) return settle({ ok: false, reason: 'bad-reply', detail: `${where}: ${decoded.reason}: ${decoded.detail}` });
      const reply = decoded.msg;
      if (!('re' in reply) || reply.re !== request.id) return settle({ ok: false, reason: 'bad-reply', detail: `${where}: reply does not answer this request` });
      if (!REPLIES_TO[request.type].includes(reply.type)) return settle({ ok: false, reason: 'bad-reply', detail: `${where}: ${reply.type} does not answer ${request.type}` });
      settle({ ok: true, reply });
    });
    socket.on('error', (error: NodeJS.ErrnoException) => {
      const code = error.code ?? '';
      const reason: SendFailure = REFUSED_CODES.has(code) ? 'refused' : CLOSED_CODES.has(code) ? 'closed' : 'unreachable';
      settle({ ok: false, reason, detail: `${where}: ${error.message}`, cause: error });
    });
    socket.on('close', () => settle({ ok: false, reason: 'closed', detail: `${where}: closed without a reply` }));
  });
}
