// Serving one accepted connection: frames in, one reply per request out, in order.
//
// A connection may carry several requests, one after the other; each is answered before the
// next is read. The first refused frame (oversized, garbage, unsigned, stale, replayed)
// closes the connection without a reply: an unauthenticated peer learns nothing, and a
// stream that is out of step is not worth resynchronising.
import type net from 'node:net';
import { decodeMessage, encodeMessage } from './codec.js';
import { readClock, type Clock } from './clock.js';
import { composeReply } from './envelope.js';
import { LineReader } from './framing.js';
import { REPLIES_TO, isRequestType, type Message, type ReplyDraft, type RequestMessage } from './messages.js';
import type { ReplayGuard } from './replay.js';
import type { ThrottledWarning } from './throttle.js';
import { errorMessage } from '../errors.js';

export interface PeerLog {
  info(message: string): void;
  warn(message: string): void;
}

export interface PeerInfo {
  transport: 'tcp' | 'unix';
  /** For TCP: the remote address and port, as the kernel reports them (not authenticated). */
  remoteAddress?: string;
  remotePort?: number;
  /** A short label for log lines, e.g. `tcp 10.0.0.7:50122 #12`. */
  label: string;
}

/** Answers one authenticated request. `undefined` means a plain `ok` reply. */
export type PeerHandler = (msg: RequestMessage, peer: PeerInfo) => Promise<ReplyDraft | undefined>;

export interface ConnectionContext {
  key: Buffer;
  name: string;
  instance?: string;
  guard: ReplayGuard;
  clock: Clock;
  handle: PeerHandler;
  log: PeerLog;
  refusals: ThrottledWarning;
  readTimeoutMs: number;
  maxLineBytes: number;
}

const OK: ReplyDraft = { type: 'ok', body: {} };

export function serveConnection(socket: net.Socket, peer: PeerInfo, ctx: ConnectionContext): void {
  const reader = new LineReader(ctx.maxLineBytes);
  const queue: Buffer[] = [];
  let busy = false;
  let ended = false;
  // One deadline per request: from when we start waiting for it until its reply is flushed.
  let deadline = startDeadline();

  function startDeadline(): NodeJS.Timeout {
    return setTimeout(() => refuse(`no complete request within ${ctx.readTimeoutMs} ms`), ctx.readTimeoutMs);
  }

  function refuse(why: string): void {
    if (socket.destroyed) return;
    ctx.refusals.warn(`peers: ${peer.label}: ${why}; connection closed`);
    socket.destroy();
  }

  socket.on('data', (chunk: Buffer) => {
    for (const result of reader.push(chunk)) {
      if (!result.ok) return refuse(`refused a line of over ${ctx.maxLineBytes} bytes`);
      queue.push(result.line);
    }
    void pump();
  });
  socket.on('end', () => {
    ended = true;
    if (!busy) socket.end();
  });
  // Resets and broken pipes from peers that went away are routine; 'close' does the cleanup.
  socket.on('error', () => undefined);
  socket.on('close', () => clearTimeout(deadline));

  async function pump(): Promise<void> {
    if (busy) return;
    busy = true;
    socket.pause();
    while (queue.length > 0 && !socket.destroyed) {
      if (!(await serveLine(queue.shift()!))) break;
    }
    busy = false;
    if (socket.destroyed) return;
    if (ended) socket.end();
    else socket.resume();
  }

  async function serveLine(line: Buffer): Promise<boolean> {
    const decoded = decodeMessage(ctx.key, line, { guard: ctx.guard, now: readClock(ctx.clock), maxLineBytes: ctx.maxLineBytes });
    if (!decoded.ok) {
      // a reason and a length: never the bytes, which nobody has vouched for (terminal escapes, floods)
      refuse(`refused a frame of ${line.length} bytes (${decoded.reason})`);
      return false;
    }
    const misaddressed = wrongRecipient(decoded.msg);
    if (misaddressed) {
      // authenticated, but for another node or an earlier instance: a captured frame replayed elsewhere
      refuse(`refused a frame for ${misaddressed}, not this node`);
      return false;
    }
    const draft = await answer(decoded.msg);
    if (!(await write(encodeReply(draft, decoded.msg) + '\n'))) return false;
    clearTimeout(deadline);
    deadline = startDeadline();
    return true;
  }

  function wrongRecipient(msg: Message): string | undefined {
    if (!('to' in msg)) return undefined;
    const { node, instance } = msg.to;
    return node !== ctx.name || (ctx.instance !== undefined && instance !== ctx.instance) ? `${node} instance ${instance}` : undefined;
  }

  async function answer(msg: Message): Promise<ReplyDraft> {
    if (!isRequestType(msg.type)) return errorDraft('not-a-request', `${msg.type} is a reply, not a request`);
    const request = msg as RequestMessage;
    try {
      const draft = (await ctx.handle(request, peer)) ?? OK;
      if (REPLIES_TO[request.type].includes(draft.type)) return draft;
      ctx.log.warn(`peers: handler answered ${request.type} with ${draft.type}; sent an error instead`);
    } catch (error) {
      ctx.log.warn(`peers: handler failed on ${request.type} from ${request.from} (${peer.label}): ${errorMessage(error)}`);
    }
    return errorDraft('internal', `${ctx.name} could not answer ${request.type}; see its log`);
  }

  function encodeReply(draft: ReplyDraft, request: Message): string {
    const origin = { from: ctx.name, wallMs: ctx.clock.wallMs() };
    try {
      return encodeMessage(ctx.key, composeReply(draft, request, origin));
    } catch (error) {
      ctx.log.warn(`peers: handler's reply to ${request.type} is invalid (${errorMessage(error)}); sent an error instead`);
      return encodeMessage(ctx.key, composeReply(errorDraft('internal', `${ctx.name} made an invalid reply; see its log`), request, origin));
    }
  }

  function write(text: string): Promise<boolean> {
    if (socket.destroyed) return Promise.resolve(false);
    if (socket.write(text)) return Promise.resolve(true);
    // A peer that does not read its replies is dropped by the deadline, which keeps running here.
    return new Promise((resolve) => {
      const settle = (flushed: boolean) => {
        socket.off('drain', onDrain).off('close', onClose);
        resolve(flushed);
      };
      const onDrain = () => settle(true);
      const onClose = () => settle(false);
      socket.on('drain', onDrain).on('close', onClose);
    });
  }
}

function errorDraft(code: string, message: string): ReplyDraft {
  return { type: 'error', body: { code, message } };
}
