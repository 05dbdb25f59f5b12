// Splitting a job's frames into chunks: the unit a node claims.
import { UsageError } from '../errors.js';

export const DEFAULT_CHUNK_SIZE = 10;

/** Splits frames, in order, into consecutive chunks of at most `size` frames. */
export function splitIntoChunks(frames: readonly number[], size: number): number[][] {
  if (!Number.isInteger(size) || size < 1) throw new UsageError(`chunk size must be a whole number of at least 1, got '${size}'`);
  const chunks: number[][] = [];
  for (let i = 0; i < frames.length; i += size) chunks.push(frames.slice(i, i + size));
  return chunks;
}

/** Chunk ids are the chunk's index, zero-padded so that names sort in frame order. */
export function chunkId(index: number, total: number): string {
  return String(index + 1).padStart(Math.max(4, String(total).length), '0');
}
