// Encoding and decoding one frame: a line of canonical JSON with an HMAC-SHA256 spliced in last.
//
// Wire format (one line, '\n' not included here):
//   C    = canonicalJson({v, type, id, ts, from, [re,] body})        e.g. {"body":{},"from":"a",...,"v":1}
//   line = C without its final '}' + ',"mac":"' + hex(HMAC-SHA256(key, C)) + '"}'
// The receiver verifies the MAC over the bytes it received (not over a re-serialisation), so
// every bit of the line is covered; then it insists those bytes are canonical, so one MAC'd
// line has exactly one meaning (no duplicate keys, no alternative escapes).
import crypto from 'node:crypto';
import { canonicalJson } from './canonical.js';
import type { ClockReading } from './clock.js';
import { validateMessage } from './envelope.js';
import { DEFAULT_MAX_LINE_BYTES } from './framing.js';
import type { Message } from './messages.js';
import { PROTOCOL_VERSION } from './messages.js';
import type { ReplayGuard } from './replay.js';

export const FARM_KEY_BYTES = 32;
const MAC_HEX_CHARS = 64;
const MAC_PREFIX = ',"mac":"';
/** `,"mac":"` + 64 hex digits + `"}`: always the last bytes of a frame. */
const MAC_SUFFIX_BYTES = MAC_PREFIX.length + MAC_HEX_CHARS + 2;
const MAC_SUFFIX = /,"mac":"([0-9a-f]{64})"\}$/;
const strictUtf8 = new TextDecoder('utf-8', { fatal: true });

export type DecodeFailure = 'oversize' | 'not-json' | 'bad-shape' | 'bad-version' | 'bad-mac' | 'replayed' | 'stale';
export type DecodeResult = { ok: true; msg: Message } | { ok: false; reason: DecodeFailure; detail: string };

export interface DecodeContext {
  guard: ReplayGuard;
  /** The receiver's clocks, read once for this frame. */
  now: ClockReading;
  maxLineBytes?: number;
}

/** Encodes a message as one frame (without the newline). Throws TypeError if the message is invalid. */
export function encodeMessage(key: Buffer, msg: Message): string {
  checkKey(key);
  const checked = validateMessage(msg);
  if (!checked.ok) throw new TypeError(`encodeMessage: ${checked.problem}`);
  const canonical = canonicalJson(msg);
  return `${canonical.slice(0, -1)}${MAC_PREFIX}${computeMac(key, canonical).toString('hex')}"}`;
}

/** Decodes and authenticates one frame. Never throws on any input: every refusal is a result. */
export function decodeMessage(key: Buffer, line: string | Uint8Array, ctx: DecodeContext): DecodeResult {
  checkKey(key);
  const bytes = typeof line === 'string' ? Buffer.from(line, 'utf8') : Buffer.from(line.buffer, line.byteOffset, line.byteLength);
  const maxLineBytes = ctx.maxLineBytes ?? DEFAULT_MAX_LINE_BYTES;
  if (bytes.length > maxLineBytes) return fail('oversize', `${bytes.length} bytes, limit ${maxLineBytes}`);

  const parsed = parseJson(bytes);
  if (!parsed.ok) return fail('not-json', parsed.problem);
  const raw = parsed.value;
  if (typeof raw !== 'object' || raw === null || Array.isArray(raw)) return fail('bad-shape', 'a frame must be a JSON object');
  const record = raw as Record<string, unknown>;
  if (record.v !== PROTOCOL_VERSION) return fail(record.v === undefined ? 'bad-shape' : 'bad-version', `not version ${PROTOCOL_VERSION}, which this node speaks`);

  // Authenticate before looking at anything else the frame says.
  const text = parsed.text;
  const macMatch = MAC_SUFFIX.exec(text);
  if (!macMatch) return fail('bad-mac', 'no mac, or mac not last');
  const signed = bytes.subarray(0, bytes.length - MAC_SUFFIX_BYTES);
  const expected = computeMac(key, signed, '}');
  if (!crypto.timingSafeEqual(expected, Buffer.from(macMatch[1], 'hex'))) return fail('bad-mac', 'mac does not match the farm key');

  const { mac: _mac, ...unsigned } = record;
  const canonical = canonicalOrUndefined(unsigned);
  if (canonical !== text.slice(0, text.length - MAC_SUFFIX_BYTES) + '}') return fail('bad-shape', 'frame is not in canonical form');
  const checked = validateMessage(unsigned);
  if (!checked.ok) return fail('bad-shape', checked.problem);

  const verdict = ctx.guard.check(checked.msg.id, checked.msg.ts, ctx.now);
  if (verdict === 'stale') return fail('stale', `ts ${checked.msg.ts} is more than ${ctx.guard.windowMs} ms from this host's clock (${ctx.now.wallMs})`);
  if (verdict === 'replayed') return fail('replayed', `id ${checked.msg.id} was already seen`);
  return { ok: true, msg: checked.msg };
}

function computeMac(key: Buffer, data: Uint8Array | string, tail = ''): Buffer {
  return crypto.createHmac('sha256', key).update(data).update(tail).digest();
}

function checkKey(key: Buffer): void {
  if (!Buffer.isBuffer(key) || key.length !== FARM_KEY_BYTES) throw new TypeError(`farm key must be a Buffer of ${FARM_KEY_BYTES} bytes`);
}

function parseJson(bytes: Buffer): { ok: true; text: string; value: unknown } | { ok: false; problem: string } {
  try {
    const text = strictUtf8.decode(bytes);
    return { ok: true, text, value: JSON.parse(text) };
  } catch (error) {
    // TextDecoder throws on bad UTF-8, JSON.parse on bad syntax: both mean "not our JSON". Their messages
    // quote the bytes, which nobody has vouched for yet: only the kind of problem is kept.
    return { ok: false, problem: error instanceof TypeError ? 'not UTF-8' : 'not JSON' };
  }
}

function canonicalOrUndefined(value: unknown): string | undefined {
  try {
    return canonicalJson(value);
  } catch {
    return undefined; // too deep or not JSON: cannot be canonical, refused as bad-shape by the caller
  }
}

function fail(reason: DecodeFailure, detail: string): DecodeResult {
  return { ok: false, reason, detail };
}
