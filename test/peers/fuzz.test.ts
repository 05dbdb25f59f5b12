import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decodeMessage, encodeMessage } from '../../src/peers/codec.js';
import { ReplayGuard } from '../../src/peers/replay.js';
import { FakeClock, makeKey, sampleMessages } from './helpers.js';

const key = makeKey();
const clock = new FakeClock();

/** mulberry32: a seeded PRNG, so a failure can be replayed from the seed in its message. */
function prng(seed: number): () => number {
  let state = seed >>> 0;
  return () => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}

function decodeNeverThrows(bytes: Uint8Array, what: string) {
  try {
    return decodeMessage(key, bytes, { guard: new ReplayGuard(), now: clock.reading() });
  } catch (error) {
    assert.unreachable(`${what}: decode threw ${(error as Error).stack}`);
    throw error;
  }
}

const SEED = 20240611;
const JSONISH = Buffer.from('{}[]",:0123456789abcdef-.eE truefalsnul\\u"mac"v');

test('random byte strings: never thrown, never accepted', () => {
  const random = prng(SEED);
  for (let i = 0; i < 3000; i++) {
    const length = Math.floor(random() * 300);
    const jsonish = random() < 0.5;
    const bytes = Buffer.alloc(length);
    for (let j = 0; j < length; j++) bytes[j] = jsonish ? JSONISH[Math.floor(random() * JSONISH.length)] : Math.floor(random() * 256);
    const decoded = decodeNeverThrows(bytes, `seed ${SEED} case ${i}`);
    if (decoded.ok) assert.unreachable(`seed ${SEED} case ${i}: accepted random bytes`);
  }
});

type Mutation = (bytes: Buffer, random: () => number, other: Buffer) => Buffer;
const at = (bytes: Buffer, random: () => number) => Math.floor(random() * (bytes.length + 1));
const MUTATIONS: Mutation[] = [
  (b, r) => { const m = Buffer.from(b); const i = Math.floor(r() * m.length); m[i] ^= 1 << Math.floor(r() * 8); return m; },
  (b, r) => { const m = Buffer.from(b); m[Math.floor(r() * m.length)] = Math.floor(r() * 256); return m; },
  (b, r) => { const i = at(b, r); return Buffer.concat([b.subarray(0, i), Buffer.from([Math.floor(r() * 256)]), b.subarray(i)]); },
  (b, r) => { const i = at(b, r); const n = 1 + Math.floor(r() * 8); return Buffer.concat([b.subarray(0, i), b.subarray(i + n)]); },
  (b, r) => { const i = at(b, r); const j = at(b, r); return Buffer.concat([b.subarray(0, Math.min(i, j)), b.subarray(Math.min(i, j), Math.max(i, j)), b.subarray(Math.min(i, j))]); },
  (b, r, o) => Buffer.concat([b.subarray(0, at(b, r)), o.subarray(at(o, r))]),
  (b, r) => Buffer.from(b.toString('latin1').replace(/"[a-z]+"/, `"${'x'.repeat(Math.floor(r() * 5))}"`), 'latin1'),
];

test('random mutations of valid frames: never thrown, never accepted', () => {
  const random = prng(SEED + 1);
  const frames = sampleMessages().map((msg) => Buffer.from(encodeMessage(key, msg)));
  let mutated = 0;
  for (let i = 0; i < 5000; i++) {
    const frame = frames[Math.floor(random() * frames.length)];
    const other = frames[Math.floor(random() * frames.length)];
    let bytes: Buffer = frame;
    const rounds = 1 + Math.floor(random() * 3);
    for (let k = 0; k < rounds; k++) bytes = MUTATIONS[Math.floor(random() * MUTATIONS.length)](bytes, random, other);
    if (frames.some((original) => original.equals(bytes))) continue; // a mutation that undid itself
    mutated++;
    const decoded = decodeNeverThrows(bytes, `seed ${SEED + 1} case ${i}`);
    if (decoded.ok) assert.unreachable(`seed ${SEED + 1} case ${i}: accepted a mutated frame: ${bytes.toString('latin1')}`);
  }
  assert.ok(mutated > 4000, `only ${mutated} real mutations`);
});

test.run();
