// A chunk's log on the spool, appended synchronously: a chunk of a short job writes a few lines, and a
// write stream's open, writes and close each cost a thread-pool round trip. A log that cannot be
// written (a full disk, its job removed) never stops the chunk: its hooks run on, unlogged.
import fs from 'node:fs';
import { APPEND, openNoFollow } from '../spool/no-follow.js';

export class ChunkLog {
  private fd: number | undefined;

  /** `warn` hears, once, why the log cannot be written. */
  constructor(private readonly file: string, private readonly warn: (text: string) => void = () => {}) {
    try {
      this.fd = openNoFollow(file, APPEND);
    } catch (error) {
      this.fd = undefined;
      this.warn(`cannot open the chunk log ${file}: ${(error as Error).message}; its hooks run unlogged`);
    }
  }

  write(text: string): void {
    if (this.fd === undefined) return;
    try {
      fs.writeSync(this.fd, text);
    } catch (error) {
      this.close();
      this.warn(`cannot write the chunk log ${this.file}: ${(error as Error).message}; the rest of it is lost`);
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try { fs.closeSync(fd); } catch { /* nothing left to save */ }
  }
}
