// Splitting a byte stream into newline-terminated lines, with a hard cap on a line's length.
//
// Lines are split on the byte 0x0A, which never occurs inside a multi-byte UTF-8 sequence, and
// handed out as bytes: a character cut across two reads is whole again in the line, and the
// codec decodes (strictly) and authenticates those exact bytes.

/** Largest frame accepted: a status reply with a few hundred running chunks fits many times. */
export const DEFAULT_MAX_LINE_BYTES = 64 * 1024;
const NEWLINE = 0x0a;

export type LineResult = { ok: true; line: Buffer } | { ok: false; reason: 'oversize'; bytes: number };

export class LineReader {
  private pending: Buffer[] = [];
  private pendingBytes = 0;
  private overflowed = false;

  constructor(readonly maxLineBytes: number = DEFAULT_MAX_LINE_BYTES) {
    if (!Number.isInteger(maxLineBytes) || maxLineBytes < 1) throw new TypeError(`maxLineBytes must be a whole number ≥ 1, got ${maxLineBytes}`);
  }

  /**
   * Feeds one chunk; returns the complete lines it finished (empty lines skipped, '\n' removed).
   * An over-long line yields one `oversize` result, after which the reader yields nothing more:
   * the stream is out of step and the caller should close the connection.
   */
  push(chunk: Uint8Array): LineResult[] {
    if (this.overflowed) return [];
    const data = Buffer.from(chunk.buffer, chunk.byteOffset, chunk.byteLength);
    const results: LineResult[] = [];
    let start = 0;
    for (let end = data.indexOf(NEWLINE, start); end !== -1; end = data.indexOf(NEWLINE, start)) {
      const length = this.pendingBytes + (end - start);
      if (length > this.maxLineBytes) return this.overflow(results, length);
      const line = this.pendingBytes === 0 ? Buffer.from(data.subarray(start, end)) : Buffer.concat([...this.pending, data.subarray(start, end)]);
      this.pending = [];
      this.pendingBytes = 0;
      if (line.length > 0) results.push({ ok: true, line });
      start = end + 1;
    }
    if (start < data.length) {
      this.pendingBytes += data.length - start;
      if (this.pendingBytes > this.maxLineBytes) return this.overflow(results, this.pendingBytes);
      this.pending.push(Buffer.from(data.subarray(start)));
    }
    return results;
  }

  /** Bytes of an unfinished line held so far. */
  get bufferedBytes(): number {
    return this.pendingBytes;
  }

  private overflow(results: LineResult[], bytes: number): LineResult[] {
    this.overflowed = true;
    this.pending = [];
    this.pendingBytes = 0;
    results.push({ ok: false, reason: 'oversize', bytes });
    return results;
  }
}
