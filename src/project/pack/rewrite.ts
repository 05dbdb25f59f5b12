// Rewriting paths inside a .blend, as Blender Asset Tracer does: each path lives in a fixed-size
// char field, so a new path is written over it (NUL-padded) when it fits, and skipped when not.
// Compressed files are written back uncompressed (Blender reads both).
import { gunzipSync } from 'node:zlib';
import { decompress as unzstd } from 'fzstd';
import type { BlendCompression } from '../../blend/index.js';
import type { StoredPath } from '../../blend/deps/index.js';

export interface RewriteResult {
  bytes: Uint8Array;
  /** Stored paths left as they were: the new path is longer than the field. */
  tooLong: string[];
}

const utf8 = new TextEncoder();

export function decompressBlend(bytes: Uint8Array, compression: BlendCompression): Uint8Array {
  if (compression === 'gzip') return new Uint8Array(gunzipSync(bytes));
  if (compression === 'zstd') return unzstd(bytes);
  return bytes;
}

/** Writes `rewrites` (stored path → new path) into every field that holds a stored path. */
export function rewritePaths(plain: Uint8Array, stored: StoredPath[], rewrites: Map<string, string>): RewriteResult {
  const bytes = new Uint8Array(plain);
  const tooLong = new Set<string>();
  for (const entry of stored) {
    const replacement = rewrites.get(entry.path);
    if (replacement === undefined || !entry.field) continue;
    const encoded = utf8.encode(replacement);
    if (encoded.length >= entry.field.size) {
      tooLong.add(entry.path);
      continue;
    }
    bytes.fill(0, entry.field.offset, entry.field.offset + entry.field.size);
    bytes.set(encoded, entry.field.offset);
  }
  return { bytes, tooLong: [...tooLong] };
}
