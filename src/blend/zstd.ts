// Streaming zstd decoding (fzstd; Node 20's zlib has no zstd). A frame header can ask the decoder
// for a window of up to 2 GiB, which fzstd allocates at once, so each header is checked first.
// Frame layout: RFC 8878 §3.1 (frames, skippable frames, block headers).
import { Decompress } from 'fzstd';
import { FarmError, type InputError } from '../errors.js';
import { concatBytes } from './block-scanner.js';
import { corruptError, truncatedError } from './input-errors.js';

/**
 * The decoder allocates a frame's whole window at once. Blender's frames use about 128 KiB, `zstd -19`
 * 8 MiB; zstd's own default limit (2^27) would let one frame header cost 128 MiB of the 200 MB budget.
 */
export const MAX_ZSTD_WINDOW_BYTES = 2 ** 25;
const ZSTD_MAGIC = 0xfd2fb528;
const SKIPPABLE_MAGIC_MASK = 0xfffffff0;
const SKIPPABLE_MAGIC = 0x184d2a50;
const FZSTD_UNEXPECTED_EOF = 5;

export interface ZstdDecoder {
  push(chunk: Uint8Array, final: boolean): void;
}

export function createZstdDecoder(file: string, onData: (data: Uint8Array) => void): ZstdDecoder {
  const guard = new ZstdFrameGuard(file);
  const fzstd = new Decompress((data) => { if (data.length > 0) onData(data); });
  return {
    push(chunk, final) {
      try {
        guard.push(chunk);
        fzstd.push(chunk, final);
      } catch (error) {
        throw error instanceof FarmError ? error : describeZstdError(file, error);
      }
    },
  };
}

function describeZstdError(file: string, error: unknown): InputError {
  const { code, message } = error as { code?: number; message?: string };
  if (code === FZSTD_UNEXPECTED_EOF) return truncatedError(file, 'zstd stream ends early');
  return corruptError(file, `bad zstd data: ${message ?? String(error)}`, error);
}

/** Walks frame and block headers as bytes stream by, rejecting frames that need a huge window. */
class ZstdFrameGuard {
  #collected: Uint8Array = new Uint8Array(0);
  #need = 4;
  #then: (bytes: Uint8Array) => void = (bytes) => this.#onMagic(bytes);
  #skip = 0;
  #checksumBytes = 0;

  constructor(readonly file: string) {}

  push(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length) {
      if (this.#skip > 0) {
        const skipped = Math.min(this.#skip, chunk.length - pos);
        this.#skip -= skipped;
        pos += skipped;
        continue;
      }
      const take = Math.min(this.#need - this.#collected.length, chunk.length - pos);
      this.#collected = concatBytes([this.#collected, chunk.subarray(pos, pos + take)]);
      pos += take;
      if (this.#collected.length === this.#need) this.#deliver();
    }
  }

  #expect(need: number, then: (bytes: Uint8Array) => void): void {
    this.#need = need;
    this.#then = then;
    if (need === 0) this.#deliver();
  }

  #deliver(): void {
    const bytes = this.#collected;
    this.#collected = new Uint8Array(0);
    this.#then(bytes);
  }

  #onMagic(bytes: Uint8Array): void {
    const magic = readUintLE(bytes, 0, 4);
    if (magic === ZSTD_MAGIC) return this.#expect(1, (b) => this.#onDescriptor(b[0]));
    if (((magic & SKIPPABLE_MAGIC_MASK) >>> 0) === SKIPPABLE_MAGIC) {
      return this.#expect(4, (size) => {
        this.#skip = readUintLE(size, 0, 4);
        this.#expect(4, (b) => this.#onMagic(b));
      });
    }
    throw corruptError(this.file, 'bad zstd frame magic');
  }

  #onDescriptor(descriptor: number): void {
    const contentSizeFlag = descriptor >> 6;
    const singleSegment = (descriptor >> 5) & 1;
    this.#checksumBytes = (descriptor >> 2) & 1 ? 4 : 0;
    const dictionaryBytes = [0, 1, 2, 4][descriptor & 3];
    const contentSizeBytes = [singleSegment, 2, 4, 8][contentSizeFlag];
    const windowBytes = singleSegment ? 0 : 1;
    this.#expect(windowBytes + dictionaryBytes + contentSizeBytes, (rest) => {
      // a single-segment frame's window is its whole content
      const window = singleSegment
        ? readUintLE(rest, dictionaryBytes, contentSizeBytes) + (contentSizeBytes === 2 ? 256 : 0)
        : decodeWindowSize(rest[0]);
      if (window > MAX_ZSTD_WINDOW_BYTES) throw corruptError(this.file, `zstd frame asks for a ${window}-byte window`);
      this.#expect(3, (b) => this.#onBlockHeader(b));
    });
  }

  #onBlockHeader(bytes: Uint8Array): void {
    const header = readUintLE(bytes, 0, 3);
    const isLast = header & 1;
    const type = (header >> 1) & 3;
    if (type === 3) throw corruptError(this.file, 'reserved zstd block type');
    this.#skip = type === 1 ? 1 : header >>> 3; // an RLE block stores its one byte
    if (isLast) {
      this.#skip += this.#checksumBytes;
      this.#expect(4, (b) => this.#onMagic(b));
    } else {
      this.#expect(3, (b) => this.#onBlockHeader(b));
    }
  }
}

/** Window_Descriptor: exponent in the high 5 bits, eighths of the base in the low 3. */
function decodeWindowSize(descriptor: number): number {
  const base = 2 ** (10 + (descriptor >> 3));
  return base + (base / 8) * (descriptor & 7);
}

function readUintLE(bytes: Uint8Array, start: number, length: number): number {
  let value = 0;
  for (let i = length - 1; i >= 0; i--) value = value * 256 + bytes[start + i];
  return value;
}
