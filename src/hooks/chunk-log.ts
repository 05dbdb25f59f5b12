// A chunk's log on the spool, appended synchronously: a chunk of a short job writes a few lines, and a
// write stream's open, writes and close each cost a thread-pool round trip. A log that cannot be
// written (a full disk, its job removed) never stops the chunk: its hooks run on, unlogged.
import fs from 'node:fs';
import { APPEND, openNoFollow } from '../spool/no-follow.js';

/** A chunk log keeps its first HEAD bytes and its last TAIL bytes; what lies between is cut, and said so. */
export const CHUNK_LOG_HEAD_BYTES = 8 * 1024 * 1024;
export const CHUNK_LOG_TAIL_BYTES = 8 * 1024 * 1024;

export class ChunkLog {
  private fd: number | undefined;
  private written = 0;
  /** Past the head: the latest output, written at close (oldest pieces dropped past the tail's size). */
  private tail: Buffer[] = [];
  private tailBytes = 0;
  private cutBytes = 0;

  /** `warn` hears, once, why the log cannot be written. */
  constructor(private readonly file: string, private readonly warn: (text: string) => void = () => {},
    private readonly headBytes = CHUNK_LOG_HEAD_BYTES, private readonly tailMax = CHUNK_LOG_TAIL_BYTES) {
    try {
      this.fd = openNoFollow(file, APPEND);
    } catch (error) {
      this.fd = undefined;
      this.warn(`cannot open the chunk log ${file}: ${(error as Error).message}; its hooks run unlogged`);
    }
  }

  write(text: string): void {
    if (this.fd === undefined) return;
    if (this.written >= this.headBytes) return this.keepInTail(Buffer.from(text));
    this.written += Buffer.byteLength(text);
    this.append(text);
  }

  private keepInTail(piece: Buffer): void {
    this.tail.push(piece);
    this.tailBytes += piece.length;
    while (this.tailBytes - this.tail[0].length >= this.tailMax) {
      const dropped = this.tail.shift()!;
      this.tailBytes -= dropped.length;
      this.cutBytes += dropped.length;
    }
  }

  private append(text: string | Buffer): void {
    if (this.fd === undefined) return;
    try {
      if (typeof text === 'string') fs.writeSync(this.fd, text);
      else fs.writeSync(this.fd, text);
    } catch (error) {
      this.close();
      this.warn(`cannot write the chunk log ${this.file}: ${(error as Error).message}; the rest of it is lost`);
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    // taken first: a failed write below closes the log again, with nothing left to write
    const [tail, cut] = [this.tail, this.cutBytes];
    this.tail = [];
    this.cutBytes = 0;
    if (cut > 0) this.append(`[renderd] ${cut} bytes of output cut here: a chunk log keeps its first ${this.headBytes} and last ${this.tailMax} bytes\n`);
    for (const piece of tail) this.append(piece);
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try { fs.closeSync(fd); } catch { /* nothing left to save */ }
  }
}
