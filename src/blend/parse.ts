// The pure core: a whole .blend (compressed or not) in memory → BlendInfo. No I/O.
import type { BlendInfo } from './types.js';
import { BlockScanner } from './block-scanner.js';
import { createInflateBudget, detectCompression, gunzipBlend } from './compression.js';
import { createZstdDecoder } from './zstd.js';
import { describeBlend, isWantedBlock } from './describe.js';
import { notBlendError } from './input-errors.js';

export function parseBlend(bytes: Uint8Array, file = '<bytes>'): BlendInfo {
  const compression = detectCompression(bytes);
  if (!compression) throw bytes.length === 0 ? notBlendError(file, 'empty file') : notBlendError(file);
  const scanner = new BlockScanner(file, isWantedBlock);
  if (compression === 'none') scanner.push(bytes);
  else if (compression === 'gzip') scanner.push(gunzipBlend(bytes, file));
  else {
    const spend = createInflateBudget(file, bytes.length);
    const decoder = createZstdDecoder(file, (data) => {
      spend(data.length);
      scanner.push(data);
    });
    try {
      decoder.push(bytes, true);
    } catch (error) {
      // Blender stops reading at ENDB: what follows (e.g. a seek table) cannot make the file bad
      if (!scanner.ended) throw error;
    }
  }
  return describeBlend(file, compression, scanner.finish());
}
