// Block heads: the fixed-size record before each block's data. Layouts from
// blender/blender source/blender/blenloader_core/BLO_core_bhead.hh (BHead4, SmallBHead8, LargeBHead8).
import type { BlendHeader } from './types.js';
import { decodeAscii } from './header.js';
import { corruptError } from './input-errors.js';

export interface BlockHead {
  /** Four-character code without NUL padding: `REND`, `SC`, `DNA1`, `ENDB`… */
  code: string;
  /** Bytes of data following the head. */
  length: number;
  /** Index into the SDNA's structs of the struct the data holds. */
  sdnaIndex: number;
  /** How many of those structs the data holds. */
  count: number;
  /** The address the data had when saved (what pointers to it hold), as unsigned 32-bit halves: 5.x writes 64-bit ids past 2^53. */
  oldHigh: number;
  oldLow: number;
}

/** 20 (BHead4), 24 (SmallBHead8) or 32 (LargeBHead8, the 5.0 header format). */
export function getBlockHeadSize(header: BlendHeader): number {
  if (header.headerFormat === 'large') return 32;
  return header.pointerSize === 4 ? 20 : 24;
}

/** Decodes the head at `at` in `bytes` (which holds at least getBlockHeadSize bytes from there). */
export function parseBlockHead(bytes: Uint8Array, header: BlendHeader, file: string, streamOffset: number, at = 0): BlockHead {
  const little = header.endian === 'little';
  const code = blockCode(bytes, at);
  let length: number;
  let sdnaIndex: number;
  let count: number;
  let oldHigh = 0;
  let oldLow: number;
  if (header.headerFormat === 'large') {
    // code[4], SDNAnr i32, old u64, len i64, nr i64
    const view = new DataView(bytes.buffer, bytes.byteOffset + at, bytes.byteLength - at);
    sdnaIndex = view.getInt32(4, little);
    [oldLow, oldHigh] = little ? [readUint32(bytes, at + 8, true), readUint32(bytes, at + 12, true)] : [readUint32(bytes, at + 12, false), readUint32(bytes, at + 8, false)];
    length = toSafeLength(view.getBigInt64(16, little));
    count = toSafeLength(view.getBigInt64(24, little));
  } else {
    // code[4], len i32, old (4 or 8 bytes), SDNAnr i32, nr i32 — read by hand: a file may hold millions of heads
    const afterOld = at + 8 + header.pointerSize;
    oldLow = readUint32(bytes, at + (header.pointerSize === 8 && !little ? 12 : 8), little);
    if (header.pointerSize === 8) oldHigh = readUint32(bytes, at + (little ? 12 : 8), little);
    length = readInt32(bytes, at + 4, little);
    sdnaIndex = readInt32(bytes, afterOld, little);
    count = readInt32(bytes, afterOld + 4, little);
  }
  if (length < 0 || count < 0) {
    throw corruptError(file, `block '${toPrintable(code)}' at byte ${streamOffset} has a negative or huge length`);
  }
  return { code, length, sdnaIndex, count, oldHigh, oldLow };
}

/** A saved address as a map key ('' for a null pointer): exact for 64-bit ids, no BigInt per head. */
export function pointerKey(high: number, low: number): string {
  return high === 0 && low === 0 ? '' : `${high.toString(16)}:${low.toString(16)}`;
}

/** The key of a 4- or 8-byte pointer stored at `at`. */
export function readPointerKey(bytes: Uint8Array, at: number, size: number, little: boolean): string {
  if (size === 4) return pointerKey(0, readUint32(bytes, at, little));
  return little ? pointerKey(readUint32(bytes, at + 4, true), readUint32(bytes, at, true)) : pointerKey(readUint32(bytes, at, false), readUint32(bytes, at + 4, false));
}

function readUint32(bytes: Uint8Array, at: number, little: boolean): number {
  return readInt32(bytes, at, little) >>> 0;
}

const codes = new Map<number, string>();

/**
 * The code without its NUL padding: two-letter ID codes are an int's low half, `SC\0\0` in little-endian
 * files and `\0\0SC` in big-endian ones. A file uses a few dozen codes: each is decoded once.
 */
function blockCode(bytes: Uint8Array, at: number): string {
  const key = (bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)) >>> 0;
  let code = codes.get(key);
  if (code === undefined) {
    code = decodeAscii(bytes, at, at + 4).replace(/^\0+|\0+$/g, '');
    if (codes.size < 4096) codes.set(key, code);
  }
  return code;
}

function readInt32(bytes: Uint8Array, at: number, little: boolean): number {
  return little
    ? bytes[at] | (bytes[at + 1] << 8) | (bytes[at + 2] << 16) | (bytes[at + 3] << 24)
    : (bytes[at] << 24) | (bytes[at + 1] << 16) | (bytes[at + 2] << 8) | bytes[at + 3];
}

/** -1 for values a JS number cannot hold exactly, so the caller reports them as corrupt. */
function toSafeLength(value: bigint): number {
  return value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(value);
}

/** Block codes of hostile files can hold anything: keep error messages one printable line. */
export function toPrintable(code: string): string {
  return code.replace(/[^\x20-\x7e]/g, '?');
}
