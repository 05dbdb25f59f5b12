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
}

/** 20 (BHead4), 24 (SmallBHead8) or 32 (LargeBHead8, the 5.0 header format). */
export function getBlockHeadSize(header: BlendHeader): number {
  if (header.headerFormat === 'large') return 32;
  return header.pointerSize === 4 ? 20 : 24;
}

/** Decodes the head at the start of `bytes` (which holds at least getBlockHeadSize bytes). */
export function parseBlockHead(bytes: Uint8Array, header: BlendHeader, file: string, streamOffset: number): BlockHead {
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const little = header.endian === 'little';
  // two-letter ID codes are an int's low half: `SC\0\0` in little-endian files, `\0\0SC` in big-endian ones
  const code = decodeAscii(bytes, 0, 4).replace(/^\0+|\0+$/g, '');
  let length: number;
  let sdnaIndex: number;
  let count: number;
  if (header.headerFormat === 'large') {
    // code[4], SDNAnr i32, old u64, len i64, nr i64
    sdnaIndex = view.getInt32(4, little);
    length = toSafeLength(view.getBigInt64(16, little));
    count = toSafeLength(view.getBigInt64(24, little));
  } else {
    // code[4], len i32, old (4 or 8 bytes), SDNAnr i32, nr i32
    const afterOld = 8 + header.pointerSize;
    length = view.getInt32(4, little);
    sdnaIndex = view.getInt32(afterOld, little);
    count = view.getInt32(afterOld + 4, little);
  }
  if (length < 0 || count < 0) {
    throw corruptError(file, `block '${toPrintable(code)}' at byte ${streamOffset} has a negative or huge length`);
  }
  return { code, length, sdnaIndex, count };
}

/** -1 for values a JS number cannot hold exactly, so the caller reports them as corrupt. */
function toSafeLength(value: bigint): number {
  return value < 0n || value > BigInt(Number.MAX_SAFE_INTEGER) ? -1 : Number(value);
}

/** Block codes of hostile files can hold anything: keep error messages one printable line. */
export function toPrintable(code: string): string {
  return code.replace(/[^\x20-\x7e]/g, '?');
}
