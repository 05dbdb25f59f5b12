// Splits a (decompressed) .blend byte stream into blocks as chunks arrive, keeping only the
// blocks asked for: memory stays bounded by what is kept, whatever the file's size.
import type { BlendHeader } from './types.js';
import { MAX_HEADER_SIZE, parseBlendHeader } from './header.js';
import { getBlockHeadSize, parseBlockHead, toPrintable, type BlockHead } from './block-head.js';
import { corruptError, truncatedError } from './input-errors.js';

/** A kept block needs to sit in memory; real SC and DNA1 blocks are well under 2 MiB. */
export const MAX_KEPT_BLOCK_BYTES = 32 * 1024 * 1024;
/** All kept blocks together: what a file claims never makes the reader hold more than this. */
export const MAX_KEPT_TOTAL_BYTES = 48 * 1024 * 1024;

/** Shared: a head read in place leaves nothing to carry, millions of times in a hostile file. */
const NO_BYTES = new Uint8Array(0);

export interface KeptBlock {
  head: BlockHead;
  /** Byte offset of the block head in the decompressed stream, for messages. */
  offset: number;
  data: Uint8Array;
}

export interface BlockScan {
  header: BlendHeader;
  /** Kept blocks in file order. */
  blocks: KeptBlock[];
}

interface OpenBlock {
  head: BlockHead;
  offset: number;
  remaining: number;
  /** The block's bytes as they arrive (its length is capped before it is allocated); null when skipped. */
  data: Uint8Array | null;
}

export class BlockScanner {
  readonly #file: string;
  readonly #keep: (code: string, head: BlockHead) => boolean;
  #header: BlendHeader | null = null;
  /** Bytes of the file header or of a block head that is not complete yet. */
  #carry: Uint8Array = NO_BYTES;
  #block: OpenBlock | null = null;
  /** Bytes consumed so far: the stream offset of #carry's first byte or of the open block's data. */
  #offset = 0;
  #ended = false;
  readonly #kept: KeptBlock[] = [];
  #keptBytes = 0;

  constructor(file: string, keep: (code: string, head: BlockHead) => boolean) {
    this.#file = file;
    this.#keep = keep;
  }

  /** True once the ENDB block was seen: later bytes are ignored and need not be read. */
  get ended(): boolean {
    return this.#ended;
  }

  push(chunk: Uint8Array): void {
    let pos = 0;
    while (pos < chunk.length && !this.#ended) {
      pos = this.#block ? this.#feedBlock(chunk, pos) : this.#feedHead(chunk, pos);
    }
  }

  /** Call at the end of the stream: the scan, or an InputError if the file stopped short. */
  finish(): BlockScan {
    if (!this.#header) {
      parseBlendHeader(this.#carry, this.#file); // throws: not a .blend, or truncated
      throw truncatedError(this.#file, 'no block after the header, missing ENDB');
    }
    if (!this.#ended) throw truncatedError(this.#file, this.#describeCut());
    return { header: this.#header, blocks: this.#kept };
  }

  #feedHead(chunk: Uint8Array, pos: number): number {
    const need = this.#header ? getBlockHeadSize(this.#header) : MAX_HEADER_SIZE;
    if (this.#header && this.#carry.length === 0 && chunk.length - pos >= need) {
      // the usual case, a whole head in this chunk: read in place, nothing copied (a hostile file may hold millions)
      this.#openBlock(parseBlockHead(chunk, this.#header, this.#file, this.#offset, pos));
      return pos + need;
    }
    const take = Math.min(need - this.#carry.length, chunk.length - pos);
    this.#carry = concatBytes([this.#carry, chunk.subarray(pos, pos + take)]);
    if (this.#carry.length < need) return pos + take;
    if (!this.#header) {
      this.#header = parseBlendHeader(this.#carry, this.#file);
      // the header may be shorter than the bytes collected: the rest starts the first block head
      this.#carry = this.#carry.slice(this.#header.size);
      this.#offset = this.#header.size;
    } else {
      this.#openBlock(parseBlockHead(this.#carry, this.#header, this.#file, this.#offset));
    }
    return pos + take;
  }

  #openBlock(head: BlockHead): void {
    const offset = this.#offset;
    this.#carry = NO_BYTES;
    this.#offset += getBlockHeadSize(this.#header!);
    if (head.code === 'ENDB') {
      this.#ended = true;
      return;
    }
    const keep = this.#keep(head.code, head);
    if (keep && head.length > MAX_KEPT_BLOCK_BYTES) {
      throw corruptError(this.#file, `block '${toPrintable(head.code)}' at byte ${offset} claims ${head.length} bytes`);
    }
    if (keep && this.#keptBytes + head.length > MAX_KEPT_TOTAL_BYTES) {
      throw corruptError(this.#file, `its '${toPrintable(head.code)}' blocks claim over ${MAX_KEPT_TOTAL_BYTES} bytes (at byte ${offset}), more than any real file holds`);
    }
    if (keep) this.#keptBytes += head.length;
    this.#block = { head, offset, remaining: head.length, data: keep ? new Uint8Array(head.length) : null };
    if (head.length === 0) this.#closeBlock();
  }

  #feedBlock(chunk: Uint8Array, pos: number): number {
    const block = this.#block!;
    const take = Math.min(block.remaining, chunk.length - pos);
    // copied: a decoder may reuse the memory behind the chunks it hands out
    block.data?.set(chunk.subarray(pos, pos + take), block.head.length - block.remaining);
    block.remaining -= take;
    this.#offset += take;
    if (block.remaining === 0) this.#closeBlock();
    return pos + take;
  }

  #closeBlock(): void {
    const block = this.#block!;
    if (block.data) this.#kept.push({ head: block.head, offset: block.offset, data: block.data });
    this.#block = null;
  }

  #describeCut(): string {
    const block = this.#block;
    if (block) {
      const got = block.head.length - block.remaining;
      return `block '${toPrintable(block.head.code)}' at byte ${block.offset} needs ${block.head.length} bytes, the file ends after ${got}`;
    }
    if (this.#carry.length > 0) return `block head at byte ${this.#offset} cut after ${this.#carry.length} bytes`;
    return `no ENDB block, the file ends at byte ${this.#offset}`;
  }
}

export function concatBytes(parts: Uint8Array[]): Uint8Array {
  if (parts.length === 1) return parts[0];
  let total = 0;
  for (const part of parts) total += part.length;
  const out = new Uint8Array(total);
  let at = 0;
  for (const part of parts) {
    out.set(part, at);
    at += part.length;
  }
  return out;
}
