// Reading a preview or a log off the spool for a browser. The route has already checked every name
// (routes.ts); here no link is followed, at the file or on the way (openNoFollow lstat's the folders),
// only a regular file is read, and never more than a bounded tail of it.
import fs from 'node:fs';
import { constants } from 'node:fs';
import { SpoolFormatError } from '../errors.js';
import { isMissing } from '../spool/atomic.js';
import { openNoFollow } from '../spool/no-follow.js';

export interface FileSlice {
  data: Buffer;
  /** Where `data` starts in the file, and the file's size when it was read. */
  start: number;
  size: number;
  mtimeMs: number;
}

export type SliceResult = { ok: true; slice: FileSlice } | { ok: false; status: 403 | 404; message: string };

/**
 * Reads [max(from, size - maxBytes), size) of a spool file, at most `headBytes` of it (a log's tail is
 * wanted, a stats file's next lines); a link or a non-file is refused.
 */
export function readSpoolFile(file: string, from: number, maxBytes: number, headBytes = maxBytes): SliceResult {
  let fd: number;
  try {
    fd = openNoFollow(file, constants.O_RDONLY);
  } catch (error) {
    if (isMissing(error) || (error as NodeJS.ErrnoException).code === 'ENOTDIR') return { ok: false, status: 404, message: 'not found' };
    if (error instanceof SpoolFormatError) return { ok: false, status: 403, message: 'refused: not a regular file inside the spool' };
    throw error;
  }
  try {
    const stat = fs.fstatSync(fd);
    const start = Math.min(stat.size, Math.max(from, stat.size - maxBytes));
    const data = Buffer.alloc(Math.min(stat.size - start, headBytes));
    const read = data.length > 0 ? fs.readSync(fd, data, 0, data.length, start) : 0;
    return { ok: true, slice: { data: data.subarray(0, read), start, size: start + read, mtimeMs: stat.mtimeMs } };
  } finally {
    fs.closeSync(fd);
  }
}
