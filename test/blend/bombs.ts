// Decompression bombs shaped like .blend files, written to disk piece by piece (never whole in memory):
// the hostile-input tests and bench/hostile.ts feed them to `render inspect` and `render add`.
// gzip: concatenated members (valid gzip, as `cat a.gz b.gz` is), each 1 MiB of the pattern deflated
// to about 1 KiB. zstd: one frame of RLE blocks, 4 bytes for every 128 KiB of zeros (RFC 8878 §3.1.1.2).
import fs from 'node:fs';
import { gzipSync } from 'node:zlib';
import { pushUint } from './zstd-store.js';

export type BombShape =
  /** Scene blocks that each claim 30 MiB: a reader that keeps them all holds gigabytes. */
  | 'kept'
  /** One skipped block of 2^31-1 zero bytes: nothing kept, all the cost in inflating. */
  | 'skipped'
  /** Empty DATA blocks back to back, a head every 24 bytes: the cost is per block head. */
  | 'heads';

export interface Bomb {
  shape: BombShape;
  compression: 'gzip' | 'zstd';
  /** Bytes on disk, and the bytes it claims to hold once inflated. */
  bytes: number;
  inflated: number;
}

const MIB = 1024 * 1024;
const HEADER = 'BLENDER-v304';
const KEPT_BLOCK_BYTES = 30 * MIB;
const HEAD_BYTES = 24;

/** A legacy little-endian, 8-byte-pointer block head (SmallBHead8): code, len, old, SDNAnr, nr. */
function head(code: string, length: number): Buffer {
  const out = Buffer.alloc(HEAD_BYTES);
  out.write(code.padEnd(4, '\0'), 0, 'latin1');
  out.writeInt32LE(length, 4);
  out.writeInt32LE(1, 20);
  return out;
}

/** The bomb's decompressed stream as (prefix, repeated 1 MiB unit, how many units) pieces. */
function plan(shape: BombShape, targetInflated: number): { prefix: Buffer; unit: Buffer; units: number; between?: Buffer; every?: number } {
  const zeros = Buffer.alloc(MIB);
  if (shape === 'skipped') return { prefix: Buffer.concat([Buffer.from(HEADER), head('DATA', 2 ** 31 - 1)]), unit: zeros, units: Math.ceil(targetInflated / MIB) };
  if (shape === 'kept') {
    const perBlock = KEPT_BLOCK_BYTES / MIB;
    return { prefix: Buffer.concat([Buffer.from(HEADER), head('SC', KEPT_BLOCK_BYTES)]), unit: zeros, units: Math.ceil(targetInflated / MIB), between: head('SC', KEPT_BLOCK_BYTES), every: perBlock };
  }
  const empty = head('DATA', 0);
  const unit = Buffer.concat(new Array(Math.floor(MIB / HEAD_BYTES)).fill(empty));
  return { prefix: Buffer.from(HEADER), unit, units: Math.ceil(targetInflated / unit.length) };
}

/** Writes a gzip bomb of about `targetInflated` decompressed bytes. */
export function writeGzipBomb(file: string, shape: BombShape, targetInflated: number): Bomb {
  const { prefix, unit, units, between, every } = plan(shape, targetInflated);
  const fd = fs.openSync(file, 'w');
  try {
    let inflated = prefix.length;
    fs.writeSync(fd, gzipSync(prefix));
    const member = gzipSync(unit, { level: 9 });
    const boundary = between ? gzipSync(Buffer.concat([unit, between]), { level: 9 }) : member;
    for (let i = 1; i <= units; i++) {
      const atBoundary = between && every && i % every === 0;
      fs.writeSync(fd, atBoundary ? boundary : member);
      inflated += unit.length + (atBoundary ? between.length : 0);
    }
    return { shape, compression: 'gzip', bytes: fs.fstatSync(fd).size, inflated };
  } finally {
    fs.closeSync(fd);
  }
}

/** Writes a zstd bomb (zeros only: `skipped` or `kept`) of about `targetInflated` decompressed bytes. */
export function writeZstdBomb(file: string, shape: Exclude<BombShape, 'heads'>, targetInflated: number): Bomb {
  const { prefix, units, between, every } = plan(shape, targetInflated);
  const BLOCK = 128 * 1024;
  const fd = fs.openSync(file, 'w');
  const frameHeader: number[] = [];
  pushUint(frameHeader, 0xfd2fb528, 4);
  frameHeader.push(0x00, 7 << 3); // no content size, no checksum; a 128 KiB window
  const raw = (bytes: Buffer, last = false) => {
    const parts: number[] = [];
    pushUint(parts, (bytes.length << 3) | (last ? 1 : 0), 3); // type 0: raw
    return Buffer.concat([Buffer.from(parts), bytes]);
  };
  const rle = (size: number) => {
    const parts: number[] = [];
    pushUint(parts, (size << 3) | (1 << 1), 3); // type 1: RLE of one byte
    parts.push(0);
    return Buffer.from(parts);
  };
  try {
    fs.writeSync(fd, Buffer.from(frameHeader));
    fs.writeSync(fd, raw(prefix));
    let inflated = prefix.length;
    const zerosOfOneMib = Buffer.concat(new Array(MIB / BLOCK).fill(rle(BLOCK)));
    for (let i = 1; i <= units; i++) {
      fs.writeSync(fd, zerosOfOneMib);
      inflated += MIB;
      if (between && every && i % every === 0) {
        fs.writeSync(fd, raw(between));
        inflated += between.length;
      }
    }
    fs.writeSync(fd, raw(Buffer.alloc(0), true));
    return { shape, compression: 'zstd', bytes: fs.fstatSync(fd).size, inflated };
  } finally {
    fs.closeSync(fd);
  }
}
