// Hook output, cut into lines (\n, \r\n, or a lone \r as progress bars print). A line is bounded: a hook
// printing 512 MB without a newline must not hold it all in the node's memory.
import { StringDecoder } from 'node:string_decoder';

/** A line longer than this is passed on in pieces of this size, each marked as cut. */
export const MAX_LINE_CHARS = 64 * 1024;

export class LineSplitter {
  private readonly decoder = new StringDecoder('utf8');
  private rest = '';

  constructor(private readonly onLine: (line: string) => void, private readonly maxChars = MAX_LINE_CHARS) {}

  push(data: Buffer): void {
    const parts = (this.rest + this.decoder.write(data)).split(/\r?\n|\r/);
    this.rest = parts.pop() ?? '';
    for (const line of parts) this.emit(line);
    while (this.rest.length > this.maxChars) {
      this.onLine(`${this.rest.slice(0, this.maxChars)} [renderd: line cut at ${this.maxChars} characters]`);
      this.rest = this.rest.slice(this.maxChars);
    }
  }

  end(): void {
    const last = this.rest + this.decoder.end();
    this.rest = '';
    if (last) this.emit(last);
  }

  private emit(line: string): void {
    // a long line that arrived in one piece is cut the same way
    while (line.length > this.maxChars) {
      this.onLine(`${line.slice(0, this.maxChars)} [renderd: line cut at ${this.maxChars} characters]`);
      line = line.slice(this.maxChars);
    }
    this.onLine(line);
  }
}
