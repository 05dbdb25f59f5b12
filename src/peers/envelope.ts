// The envelope around every body: checking one that arrived, and wrapping a draft to send.
import crypto from 'node:crypto';
import { Fields, ShapeError } from './fields.js';
import {
  BODY_READERS, PROTOCOL_VERSION, REPLY_TYPES, REQUEST_TYPES, isReplyType, type Recipient,
  type Message, type MessageType, type ReplyDraft, type ReplyMessage, type RequestDraft, type RequestMessage,
} from './messages.js';

const ENVELOPE_KEYS = new Set(['v', 'type', 'id', 'ts', 'from', 'to', 're', 'body']);
/** Nonces: base64url, 16 to 64 characters (newNonce makes 22, i.e. 128 random bits). */
const NONCE = /^[A-Za-z0-9_-]{16,64}$/;
const MESSAGE_TYPES: readonly MessageType[] = [...REQUEST_TYPES, ...REPLY_TYPES];

export type ValidateResult = { ok: true; msg: Message } | { ok: false; problem: string };

/** Checks an envelope and its body; returns a clean copy holding only known fields. */
export function validateMessage(raw: unknown): ValidateResult {
  try {
    return { ok: true, msg: readMessage(new Fields(raw, 'frame')) };
  } catch (error) {
    if (error instanceof ShapeError) return { ok: false, problem: error.message };
    throw error;
  }
}

function readMessage(frame: Fields): Message {
  for (const key of Object.keys(frame.raw)) {
    if (!ENVELOPE_KEYS.has(key)) throw new ShapeError(`frame.${key}`, 'no such field in a v1 envelope', frame.raw[key]);
  }
  if (frame.raw.v !== PROTOCOL_VERSION) throw new ShapeError('frame.v', String(PROTOCOL_VERSION), frame.raw.v);
  const type = frame.oneOf('type', MESSAGE_TYPES);
  const id = readNonce(frame, 'id');
  const ts = frame.integer('ts', 0, Number.MAX_SAFE_INTEGER);
  const from = frame.name('from');
  const body = (BODY_READERS[type] as (body: Fields) => unknown)(frame.object('body'));
  if (isReplyType(type)) {
    if (frame.has('to')) throw new ShapeError('frame.to', 'no to on a reply (its re names the request)', frame.raw.to);
    return { v: PROTOCOL_VERSION, type, id, ts, from, re: readNonce(frame, 're'), body } as ReplyMessage;
  }
  if (frame.has('re')) throw new ShapeError('frame.re', 'no re on a request', frame.raw.re);
  const recipient = frame.object('to');
  for (const key of Object.keys(recipient.raw)) {
    if (key !== 'node' && key !== 'instance') throw new ShapeError(`frame.to.${key}`, 'no such field in a recipient', recipient.raw[key]);
  }
  const to: Recipient = { node: recipient.name('node'), instance: recipient.name('instance') };
  return { v: PROTOCOL_VERSION, type, id, ts, from, to, body } as RequestMessage;
}

function readNonce(frame: Fields, field: string): string {
  const value = frame.raw[field];
  if (typeof value !== 'string' || !NONCE.test(value)) throw new ShapeError(`frame.${field}`, 'a nonce of 16-64 base64url characters', value);
  return value;
}

/** 128 random bits, base64url: unique per frame without any coordination. */
export function newNonce(): string {
  return crypto.randomBytes(16).toString('base64url');
}

export interface Origin {
  /** Node or tool name of the sender. */
  from: string;
  /** The sender's wall clock now, ms. */
  wallMs: number;
}

export function composeRequest(draft: RequestDraft, origin: Origin, to: Recipient, id = newNonce()): RequestMessage {
  return { v: PROTOCOL_VERSION, id, ts: Math.round(origin.wallMs), from: origin.from, to: { node: to.node, instance: to.instance }, ...draft } as RequestMessage;
}

export function composeReply(draft: ReplyDraft, request: { id: string }, origin: Origin, id = newNonce()): ReplyMessage {
  return { v: PROTOCOL_VERSION, id, ts: Math.round(origin.wallMs), from: origin.from, re: request.id, ...draft } as ReplyMessage;
}
