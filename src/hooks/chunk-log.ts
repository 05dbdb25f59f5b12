// A chunk's log on the spool, appended synchronously: a chunk of a short job writes a few lines, and a
// write stream's open, writes and close each cost a thread-pool round trip. A log that cannot be
// written (a full disk, its job removed) never stops the chunk: its hooks run on, unlogged.
import fs from 'node:fs';

export class ChunkLog {
  private fd: number | undefined;

  constructor(file: string) {
    try {
      this.fd = fs.openSync(file, 'a');
    } catch {
      this.fd = undefined;
    }
  }

  write(text: string): void {
    if (this.fd === undefined) return;
    try {
      fs.writeSync(this.fd, text);
    } catch {
      this.close();
    }
  }

  close(): void {
    if (this.fd === undefined) return;
    const fd = this.fd;
    this.fd = undefined;
    try { fs.closeSync(fd); } catch { /* nothing left to save */ }
  }
}
