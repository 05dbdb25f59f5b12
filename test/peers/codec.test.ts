import crypto from 'node:crypto';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { canonicalJson } from '../../src/peers/canonical.js';
import { decodeMessage, encodeMessage, type DecodeResult } from '../../src/peers/codec.js';
import { REPLY_TYPES, REQUEST_TYPES } from '../../src/peers/messages.js';
import { ReplayGuard } from '../../src/peers/replay.js';
import { FakeClock, T0_WALL_MS, makeKey, nonce, sampleMessages } from './helpers.js';

const key = makeKey();
const clock = new FakeClock();

function decodeFresh(line: string | Uint8Array, decodeKey = key, maxLineBytes?: number): DecodeResult {
  return decodeMessage(decodeKey, line, { guard: new ReplayGuard(), now: clock.reading(), maxLineBytes });
}

/** Signs arbitrary bytes the way a key holder could, to reach the checks behind the MAC. */
function signRaw(canonicalLike: string): string {
  const mac = crypto.createHmac('sha256', key).update(canonicalLike).digest('hex');
  return `${canonicalLike.slice(0, -1)},"mac":"${mac}"}`;
}

test('every message type survives a round trip unchanged', () => {
  const samples = sampleMessages();
  const types = new Set(samples.map((msg) => msg.type));
  assert.equal([...types].sort(), [...REQUEST_TYPES, ...REPLY_TYPES].sort());
  for (const msg of samples) {
    const line = encodeMessage(key, msg);
    assert.not.ok(line.includes('\n'), 'a frame is one line');
    const decoded = decodeFresh(line);
    assert.ok(decoded.ok, `${msg.type}: ${!decoded.ok && decoded.detail}`);
    if (decoded.ok) assert.equal(decoded.msg, msg);
  }
});

test('the wire format is canonical JSON with the mac spliced in last', () => {
  const line = encodeMessage(key, { v: 2, type: 'wake', id: 'abcdefghijklmnop', ts: 5, from: 'n1', to: { node: 'n2', instance: 'i2' }, body: {} });
  assert.match(line, /^\{"body":\{\},"from":"n1","id":"abcdefghijklmnop","to":\{"instance":"i2","node":"n2"\},"ts":5,"type":"wake","v":2,"mac":"[0-9a-f]{64}"\}$/);
  const expected = crypto.createHmac('sha256', key).update('{"body":{},"from":"n1","id":"abcdefghijklmnop","to":{"instance":"i2","node":"n2"},"ts":5,"type":"wake","v":2}').digest('hex');
  assert.ok(line.includes(expected));
});

test('a frame signed with another key is bad-mac', () => {
  const decoded = decodeFresh(encodeMessage(key, sampleMessages()[0]), makeKey());
  assert.equal(decoded.ok ? 'accepted' : decoded.reason, 'bad-mac');
});

test('flipping any single bit of any frame is refused', () => {
  for (const msg of sampleMessages()) {
    const bytes = Buffer.from(encodeMessage(key, msg));
    for (let bit = 0; bit < bytes.length * 8; bit++) {
      const mutated = Buffer.from(bytes);
      mutated[bit >> 3] ^= 1 << (bit & 7);
      const decoded = decodeFresh(mutated);
      if (decoded.ok) assert.unreachable(`${msg.type}: accepted with bit ${bit} flipped`);
    }
  }
});

test('the same frame twice is refused as replayed', () => {
  const guard = new ReplayGuard();
  const line = encodeMessage(key, sampleMessages()[3]);
  const first = decodeMessage(key, line, { guard, now: clock.reading() });
  const second = decodeMessage(key, line, { guard, now: { wallMs: T0_WALL_MS + 1000, monoMs: clock.mono + 1000 } });
  assert.ok(first.ok);
  assert.equal(second.ok ? 'accepted' : second.reason, 'replayed');
});

test('ts judged against a wide window: 9 minutes off is fine, 20 minutes off is stale', () => {
  const table: [number, string][] = [[-20, 'stale'], [-9, 'ok'], [0, 'ok'], [9, 'ok'], [20, 'stale']];
  for (const [minutes, expected] of table) {
    const msg = { ...sampleMessages()[0], ts: T0_WALL_MS + minutes * 60_000 };
    const decoded = decodeFresh(encodeMessage(key, msg));
    assert.equal(decoded.ok ? 'ok' : decoded.reason, expected, `${minutes} min`);
  }
});

test('a frame cut at any byte offset is refused, never thrown', () => {
  for (const msg of sampleMessages()) {
    const bytes = Buffer.from(encodeMessage(key, msg));
    for (let length = 0; length < bytes.length; length++) {
      const decoded = decodeFresh(bytes.subarray(0, length));
      if (decoded.ok) assert.unreachable(`${msg.type}: accepted when cut to ${length} bytes`);
    }
  }
});

test('refusal reasons name what is wrong', () => {
  const valid = sampleMessages()[2];
  const unsigned = canonicalJson(valid);
  const table: [string, string | Buffer, string][] = [
    ['garbage', 'hello there', 'not-json'],
    ['bad UTF-8', Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), 'not-json'],
    ['not an object', '[1,2,3]', 'bad-shape'],
    ['another version', encodeMessage(key, valid).replace('"v":2', '"v":1'), 'bad-version'],
    ['unsigned', unsigned, 'bad-mac'],
    ['mac not last', `{"mac":"${'0'.repeat(64)}",${unsigned.slice(1)}`, 'bad-mac'],
    ['upper-case mac', encodeMessage(key, valid).replace(/"mac":"([0-9a-f]+)"/, (_, hex: string) => `"mac":"${hex.toUpperCase()}"`), 'bad-mac'],
    ['signed but keys out of order', signRaw(unsigned.replace('{"body":{},', '{').replace(/\}$/, ',"body":{}}')), 'bad-shape'],
    ['signed but spaced', signRaw(unsigned.replace(/,/g, ', ')), 'bad-shape'],
    ['signed, unknown envelope field', signRaw(canonicalJson({ ...valid, extra: 1 })), 'bad-shape'],
    ['signed, bad body', signRaw(canonicalJson({ ...valid, type: 'node-control', body: { action: 'reboot' } })), 'bad-shape'],
    ['signed, path in a name', signRaw(canonicalJson({ ...valid, type: 'wake', body: { job: '../../etc' } })), 'bad-shape'],
    ['signed, reply without re', signRaw(canonicalJson({ ...valid, type: 'ok' })), 'bad-shape'],
    ['signed, request with re', signRaw(canonicalJson({ ...valid, re: 'request-0000000001' })), 'bad-shape'],
    ['signed, short nonce', signRaw(canonicalJson({ ...valid, id: 'abc' })), 'bad-shape'],
    ['signed, too deep', signRaw(canonicalJson({ ...valid, body: { x: 'DEEP' } }).replace('"DEEP"', '['.repeat(40) + ']'.repeat(40))), 'bad-shape'],
  ];
  for (const [what, line, expected] of table) {
    const decoded = decodeFresh(line);
    assert.equal(decoded.ok ? 'accepted' : decoded.reason, expected, what);
  }
});

test('a line over the cap is oversize before anything else is looked at', () => {
  const line = encodeMessage(key, { v: 2, type: 'stop-chunk', id: nonce(), ts: T0_WALL_MS, from: 'a', to: { node: 'b', instance: 'i' }, body: { job: 'j', reason: 'x'.repeat(1000) } });
  const reasonOf = (decoded: DecodeResult) => (decoded.ok ? 'accepted' : decoded.reason);
  assert.equal(reasonOf(decodeFresh(line, key, 512)), 'oversize');
  assert.equal(reasonOf(decodeFresh('x'.repeat(70_000))), 'oversize', 'default cap is 64 KiB');
  assert.ok(decodeFresh(line, key, Buffer.byteLength(line)).ok, 'exactly at the cap is fine');
});

test('unknown body fields are dropped; the rest is kept', () => {
  const decoded = decodeFresh(signRaw(canonicalJson({ v: 2, type: 'wake', id: nonce(), ts: T0_WALL_MS, from: 'x', to: { node: 'y', instance: 'i' }, body: { job: 'j1', command: 'rm -rf /' } })));
  assert.ok(decoded.ok);
  if (decoded.ok) assert.equal(decoded.msg.body, { job: 'j1' });
});

test('encodeMessage refuses to send what a receiver would refuse', () => {
  const msg = sampleMessages()[0];
  const bad: unknown[] = [
    { ...msg, from: 'has space' },
    { ...msg, type: 'node-control', body: { action: 'reboot' } },
    { ...msg, ts: Number.NaN },
    { ...msg, type: 'stop-chunk', body: { job: 'j', reason: 'line\nbreak' } },
  ];
  for (const value of bad) assert.throws(() => encodeMessage(key, value as typeof msg), TypeError);
  assert.throws(() => encodeMessage(Buffer.alloc(8), msg), TypeError);
});

test.run();
