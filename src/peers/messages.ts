// The peer protocol's messages: one discriminated union, and a validator for every body.
import { Fields } from './fields.js';

/** 2: requests name their recipient (`to`), so a frame meant for one node instance is refused by any other. */
export const PROTOCOL_VERSION = 2;

/** Who a request is for: a node name and its instance (a restarted node is another instance). */
export interface Recipient {
  node: string;
  instance: string;
}

export const NODE_ACTIONS = ['pause', 'resume', 'drain'] as const;
export type NodeAction = (typeof NODE_ACTIONS)[number];

/** What a node says it is doing; idle or busy is told by `running`. */
export const NODE_STATES = ['active', 'paused', 'draining', 'stopping'] as const;
export type NodeState = (typeof NODE_STATES)[number];

export interface RunningChunk {
  job: string;
  chunk: string;
  /** The claim token of this attempt: what fences a late result off (farm invariant 2). */
  token: string;
  attempt: number;
  /** The frame being rendered now, when known. */
  frame?: number;
  /** Fraction done, 0 to 1, when known. */
  progress?: number;
}

export interface MemoryUse {
  usedBytes: number;
  totalBytes: number;
}

export interface StatusReplyBody {
  node: string;
  state: NodeState;
  slots: number;
  running: RunningChunk[];
  /** One-minute load average. */
  load?: number;
  mem?: MemoryUse;
  swap?: MemoryUse;
}

export interface BodyByType {
  'wake': { job?: string };
  'status-request': Record<string, never>;
  'node-control': { action: NodeAction };
  'stop-chunk': { job: string; chunk?: string; token?: string; reason: string };
  'liveness-request': { job: string; chunk: string; token: string };
  'status-reply': StatusReplyBody;
  /** `instance`: who answers (a node's instance id), so an answer from another instance is not taken as the holder's. */
  'liveness-reply': { running: boolean; instance?: string };
  /** From `render doctor`: does the node see the probe file in its listing of the spool's tmp/, and which Blender does it run ('' none, absent: not known yet)? */
  'doctor-request': { probe?: string };
  'doctor-reply': { probeSeen?: boolean; blender?: string };
  'ok': Record<string, never>;
  'error': { code: string; message: string };
}

export type MessageType = keyof BodyByType;
export const REQUEST_TYPES = ['wake', 'status-request', 'node-control', 'stop-chunk', 'liveness-request', 'doctor-request'] as const;
export const REPLY_TYPES = ['status-reply', 'liveness-reply', 'doctor-reply', 'ok', 'error'] as const;
export type RequestType = (typeof REQUEST_TYPES)[number];
export type ReplyType = (typeof REPLY_TYPES)[number];

/** The reply types a request may get back (`error` always allowed). */
export const REPLIES_TO: { readonly [T in RequestType]: readonly ReplyType[] } = {
  'wake': ['ok', 'error'],
  'status-request': ['status-reply', 'error'],
  'node-control': ['ok', 'error'],
  'stop-chunk': ['ok', 'error'],
  'liveness-request': ['liveness-reply', 'error'],
  'doctor-request': ['doctor-reply', 'error'],
};

interface Envelope<T extends MessageType> {
  v: typeof PROTOCOL_VERSION;
  type: T;
  /** A random nonce, unique per frame: what the replay guard remembers. */
  id: string;
  /** The sender's wall clock, ms: only checked against a wide window (see replay.ts). */
  ts: number;
  /** Node or tool name of the sender. */
  from: string;
  body: BodyByType[T];
}

export type RequestMessage = { [T in RequestType]: Envelope<T> & { to: Recipient } }[RequestType];
/** A reply names the request it answers in `re`. */
export type ReplyMessage = { [T in ReplyType]: Envelope<T> & { re: string } }[ReplyType];
export type Message = RequestMessage | ReplyMessage;

/** What a caller fills in; the edges add v, id, ts, from (and re). */
export type RequestDraft = { [T in RequestType]: { type: T; body: BodyByType[T] } }[RequestType];
export type ReplyDraft = { [T in ReplyType]: { type: T; body: BodyByType[T] } }[ReplyType];

export function isRequestType(type: string): type is RequestType {
  return (REQUEST_TYPES as readonly string[]).includes(type);
}

export function isReplyType(type: string): type is ReplyType {
  return (REPLY_TYPES as readonly string[]).includes(type);
}

const MAX_RUNNING = 1024;
const MAX_SLOTS = 4096;
const MAX_ATTEMPT = 1_000_000;
const MAX_BYTES = Number.MAX_SAFE_INTEGER;

type BodyReader<T extends MessageType> = (body: Fields) => BodyByType[T];

/** One reader per type; each returns a fresh object with only the known fields (unknown ones dropped). */
export const BODY_READERS: { readonly [T in MessageType]: BodyReader<T> } = {
  'wake': (b) => dropUndefined({ job: b.optional('job', b.name) }),
  'status-request': () => ({}),
  'node-control': (b) => ({ action: b.oneOf('action', NODE_ACTIONS) }),
  'stop-chunk': (b) => dropUndefined({
    job: b.name('job'), chunk: b.optional('chunk', b.name), token: b.optional('token', b.name), reason: b.text('reason'),
  }),
  'liveness-request': (b) => ({ job: b.name('job'), chunk: b.name('chunk'), token: b.name('token') }),
  'status-reply': readStatusReply,
  'liveness-reply': (b) => dropUndefined({ running: b.boolean('running'), instance: b.optional('instance', (f) => b.name(f)) }),
  'doctor-request': (b) => dropUndefined({ probe: b.optional('probe', b.name) }),
  'doctor-reply': (b) => dropUndefined({ probeSeen: b.optional('probeSeen', b.boolean), blender: b.optional('blender', (f) => b.text(f)) }),
  'ok': () => ({}),
  'error': (b) => ({ code: b.name('code'), message: b.text('message') }),
};

function readStatusReply(b: Fields): StatusReplyBody {
  return dropUndefined({
    node: b.name('node'),
    state: b.oneOf('state', NODE_STATES),
    slots: b.integer('slots', 0, MAX_SLOTS),
    running: b.list('running', MAX_RUNNING, readRunningChunk),
    load: b.optional('load', (f) => b.number(f, 0, 1e6)),
    mem: b.has('mem') ? readMemoryUse(b.object('mem')) : undefined,
    swap: b.has('swap') ? readMemoryUse(b.object('swap')) : undefined,
  });
}

function readRunningChunk(r: Fields): RunningChunk {
  return dropUndefined({
    job: r.name('job'),
    chunk: r.name('chunk'),
    token: r.name('token'),
    attempt: r.integer('attempt', 1, MAX_ATTEMPT),
    frame: r.optional('frame', (f) => r.integer(f, Number.MIN_SAFE_INTEGER, Number.MAX_SAFE_INTEGER)),
    progress: r.optional('progress', (f) => r.number(f, 0, 1)),
  });
}

function readMemoryUse(m: Fields): MemoryUse {
  return { usedBytes: m.integer('usedBytes', 0, MAX_BYTES), totalBytes: m.integer('totalBytes', 0, MAX_BYTES) };
}

/** Optional fields are absent, never `undefined`: `'job' in body` and deep equality mean what they say. */
function dropUndefined<T extends object>(value: T): T {
  for (const key of Object.keys(value) as (keyof T)[]) if (value[key] === undefined) delete value[key];
  return value;
}
