// Which compression a .blend uses (by its first bytes), gzip decoding for in-memory bytes, and the
// budget that stops a decompression bomb from running for hours.
import { gunzipSync } from 'node:zlib';
import type { BlendCompression } from './types.js';
import { hasBlendMagic } from './header.js';
import { corruptError, truncatedError } from './input-errors.js';
import type { InputError } from '../errors.js';

/** Bytes needed to tell the three kinds apart (`BLENDER` is the longest magic). */
export const MAGIC_PREFIX_BYTES = 7;

/**
 * Decompressed bytes allowed for free, then per compressed byte. Real .blend files shrink 4–12 times
 * (the fixtures: 5.7–11.5); a bomb shrinks a thousand times or more, and is stopped after a second or
 * two of inflating, not after gigabytes.
 */
const FREE_INFLATE_BYTES = 256 * 1024 ** 2;
const MAX_INFLATE_RATIO = 64;

export function detectCompression(bytes: Uint8Array): BlendCompression | null {
  if (hasBlendMagic(bytes) || isCutMagic(bytes)) return 'none';
  if (bytes[0] === 0x1f && bytes[1] === 0x8b) return 'gzip';
  if (bytes[0] === 0x28 && bytes[1] === 0xb5 && bytes[2] === 0x2f && bytes[3] === 0xfd) return 'zstd';
  return null;
}

/** `BLEND…` cut before the 7th byte: a .blend copy cut short, so the reader reports it truncated. */
function isCutMagic(bytes: Uint8Array): boolean {
  return bytes.length > 0 && bytes.length < MAGIC_PREFIX_BYTES && 'BLENDER'.startsWith(String.fromCharCode(...bytes));
}

export function computeInflateLimit(compressedBytes: number): number {
  return FREE_INFLATE_BYTES + MAX_INFLATE_RATIO * compressedBytes;
}

/** Counts decompressed bytes and fails once they pass what a real file of that size could hold. */
export function createInflateBudget(file: string, compressedBytes: number): (bytes: number) => void {
  const limit = computeInflateLimit(compressedBytes);
  let spent = 0;
  return (bytes) => {
    spent += bytes;
    if (spent > limit) throw corruptError(file, `decompresses to over ${limit} bytes from ${compressedBytes}`);
  };
}

/** Whole-buffer gzip decoding for parseBlend, bounded like the streaming path. */
export function gunzipBlend(bytes: Uint8Array, file: string): Uint8Array {
  try {
    return gunzipSync(bytes, { maxOutputLength: Math.min(computeInflateLimit(bytes.length), 2 ** 31 - 1) });
  } catch (error) {
    throw describeGzipError(file, error);
  }
}

/** zlib's errors as one line: a cut stream is "truncated", anything else is corrupt. */
export function describeGzipError(file: string, error: unknown): InputError {
  const { code, message } = error as { code?: string; message?: string };
  if (code === 'Z_BUF_ERROR') return truncatedError(file, 'gzip stream ends early');
  if (code === 'ERR_BUFFER_TOO_LARGE') return corruptError(file, 'gzip data decompresses to an absurd size', error);
  return corruptError(file, `bad gzip data: ${message ?? String(error)}`, error);
}
