// The .blend file header, legacy (`BLENDER-v304`) and large (`BLENDER17-01v0500`, Blender 5.0+).
// Layout from blender/blender source/blender/blenloader_core/BLO_core_blend_header.hh.
import type { BlendHeader } from './types.js';
import { notBlendError, truncatedError } from './input-errors.js';

const MAGIC = 'BLENDER';
const LEGACY_HEADER_SIZE = 12;
const LARGE_HEADER_SIZE = 17;
/** Bytes to collect before the header can be judged: the larger of the two layouts. */
export const MAX_HEADER_SIZE = LARGE_HEADER_SIZE;

/** True when the bytes start like a .blend (used to sniff compression). */
export function hasBlendMagic(bytes: Uint8Array): boolean {
  return bytes.length >= MAGIC.length && decodeAscii(bytes, 0, MAGIC.length) === MAGIC;
}

/** Parses the header from the first bytes of the (decompressed) file; `bytes` may hold more. */
export function parseBlendHeader(bytes: Uint8Array, file: string): BlendHeader {
  if (!hasBlendMagic(bytes)) {
    const isPrefix = bytes.length > 0 && MAGIC.startsWith(decodeAscii(bytes, 0, bytes.length));
    throw isPrefix ? truncatedError(file, `only ${bytes.length} bytes`) : notBlendError(file);
  }
  if (bytes.length < LEGACY_HEADER_SIZE) throw truncatedError(file, `header cut after ${bytes.length} bytes`);
  const marker = String.fromCharCode(bytes[7]);
  return marker === '_' || marker === '-' ? parseLegacyHeader(bytes, file) : parseLargeHeader(bytes, file);
}

function parseLegacyHeader(bytes: Uint8Array, file: string): BlendHeader {
  const endianMark = String.fromCharCode(bytes[8]);
  const digits = decodeAscii(bytes, 9, 12);
  if ((endianMark !== 'v' && endianMark !== 'V') || !/^\d{3}$/.test(digits)) {
    throw notBlendError(file, `bad header '${decodeAscii(bytes, 0, LEGACY_HEADER_SIZE)}'`);
  }
  return {
    ...describeVersion(Number(digits)),
    pointerSize: bytes[7] === 0x5f /* '_' */ ? 4 : 8,
    endian: endianMark === 'v' ? 'little' : 'big',
    headerFormat: 'legacy',
    size: LEGACY_HEADER_SIZE,
  };
}

function parseLargeHeader(bytes: Uint8Array, file: string): BlendHeader {
  if (bytes.length < LARGE_HEADER_SIZE) throw truncatedError(file, `header cut after ${bytes.length} bytes`);
  const text = decodeAscii(bytes, 0, LARGE_HEADER_SIZE);
  // `BLENDER` + header size "17" + '-' (8-byte pointers) + format "01" + 'v' (little-endian) + "0500"
  const match = /^BLENDER(\d\d)-(\d\d)v(\d{4})$/.exec(text);
  if (!match) throw notBlendError(file, `bad header '${text.replace(/[^\x20-\x7e]/g, '?')}'`);
  if (Number(match[1]) !== LARGE_HEADER_SIZE || match[2] !== '01') {
    throw notBlendError(file, `unsupported header format '${text}' (this reader knows BLENDER17-01)`);
  }
  return { ...describeVersion(Number(match[3])), pointerSize: 8, endian: 'little', headerFormat: 'large', size: LARGE_HEADER_SIZE };
}

/** 248 → "2.48" (2.x minors were always two digits), 304 → "3.4", 500 → "5.0". */
function describeVersion(versionNumber: number): { version: string; versionNumber: number } {
  const major = Math.floor(versionNumber / 100);
  const minor = versionNumber % 100;
  const version = major < 3 ? `${major}.${String(minor).padStart(2, '0')}` : `${major}.${minor}`;
  return { version, versionNumber };
}

export function decodeAscii(bytes: Uint8Array, start: number, end: number): string {
  let text = '';
  for (let i = start; i < end && i < bytes.length; i++) text += String.fromCharCode(bytes[i]);
  return text;
}
