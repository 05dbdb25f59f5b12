// Atomic spool writes (temp file in the same directory, fsync, rename) and guarded reads.
// Info files are a few hundred bytes: their reads and writes run synchronously, as one step each. A
// thread-pool round trip per open, read, write, fsync and close cost more than the work itself (half
// of a short chunk's time); on NFS a step blocks for its round trips, as a transition must wait anyway.
import fs from 'node:fs/promises';
import fsSync, { constants } from 'node:fs';
import path from 'node:path';
import { SpoolFormatError } from '../errors.js';
import { CREATE_NEW, openNoFollow } from './no-follow.js';
import { randomHex } from './nonce.js';

/** Info files are small; anything bigger is hostile or broken and gets quarantined. */
export const MAX_INFO_FILE_BYTES = 1024 * 1024;

/** Read once: `process.pid` is a system call each time it is read. */
const PID = process.pid;

export function tempName(target: string): string {
  return path.join(path.dirname(target), `.${path.basename(target)}.${PID}.${randomHex(4)}.tmp`);
}

/** Writes `data` to `target` so that a reader sees either the old file or the whole new one. */
export async function writeFileAtomic(target: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  await writeAndRename(tempName(target), target, data, mode);
}

/**
 * Writes a temp file (in `tmpPath`, which must be on the same filesystem) and renames it onto `target`.
 * The small steps run at once; only the disk flush is awaited on the thread pool, so the node goes on
 * with other work (another slot's hook, the next claim) while the disk catches up.
 */
export async function writeAndRename(tmpPath: string, target: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  await writeTemp(tmpPath, data, mode);
  try {
    fsSync.renameSync(tmpPath, target);
  } catch (error) {
    fsSync.rmSync(tmpPath, { force: true });
    throw error;
  }
}

/**
 * Like writeAndRename, but only onto a `target` that still exists once the data is on disk: a file that
 * was moved away meanwhile is never brought back by its name. The check and the rename run in one
 * synchronous step, so no other work of this process comes between them. Returns whether it replaced it.
 */
export async function replaceExisting(tmpPath: string, target: string, data: string | Uint8Array, mode = 0o644): Promise<boolean> {
  await writeTemp(tmpPath, data, mode);
  try {
    if (!fsSync.existsSync(target)) {
      fsSync.rmSync(tmpPath, { force: true });
      return false;
    }
    fsSync.renameSync(tmpPath, target);
    return true;
  } catch (error) {
    fsSync.rmSync(tmpPath, { force: true });
    throw error;
  }
}

/** Creates `tmpPath` with `data`, on disk (fsync) before it returns: the first half of writeAndRename. */
export async function writeTemp(tmpPath: string, data: string | Uint8Array, mode = 0o644): Promise<void> {
  // a new file of our own (O_EXCL), never through a link, in folders that are not links
  const fd = openNoFollow(tmpPath, CREATE_NEW, mode);
  try {
    fsSync.writeFileSync(fd, data);
    await new Promise<void>((resolve, reject) => fsSync.fsync(fd, (error) => (error ? reject(error) : resolve())));
  } finally {
    fsSync.closeSync(fd);
  }
}

/** Reads a small spool file without following symlinks (a link could point out of the spool). */
export async function readInfoFile(file: string, maxBytes = MAX_INFO_FILE_BYTES): Promise<string> {
  return readInfoText(file, maxBytes);
}

/** Reads go through one buffer (they are synchronous), grown for a larger file and kept. */
let readBuffer = Buffer.allocUnsafe(16 * 1024);

/**
 * readInfo's text without its fstat: a spool file is read to its end, so a regular file needs no size first
 * (a filer call saved on every record read: the heartbeat's read-back, the watched holders', every claim's).
 * What is not a plain file shows in the read (a folder or a FIFO: an error; a device: empty, or endless), and
 * only then is it looked at, so its error says what readInfo's says.
 */
function readInfoText(file: string, maxBytes: number): string {
  const fd = openInfo(file);
  try {
    return readToEnd(fd, file, maxBytes);
  } finally {
    fsSync.closeSync(fd);
  }
}

/** An open info file's text, to its end (a file that grew since a stat is read whole), refused past `maxBytes`. */
function readToEnd(fd: number, file: string, maxBytes: number): string {
  let bytesRead = 0;
  for (;;) {
    if (bytesRead === readBuffer.length) {
      if (bytesRead > maxBytes) break;
      const grown = Buffer.allocUnsafe(Math.min(readBuffer.length * 4, maxBytes + 1));
      readBuffer.copy(grown, 0, 0, bytesRead);
      readBuffer = grown;
    }
    let n;
    try {
      n = fsSync.readSync(fd, readBuffer, bytesRead, readBuffer.length - bytesRead, bytesRead);
    } catch (error) {
      // a folder (EISDIR), a FIFO or socket (ESPIPE, EAGAIN): said as readInfo says it
      checkPlainFile(fd, file, maxBytes);
      throw error;
    }
    if (n === 0) break;
    bytesRead += n;
  }
  if (bytesRead === 0 || bytesRead > maxBytes) checkPlainFile(fd, file, maxBytes);
  if (bytesRead > maxBytes) throw new SpoolFormatError(file, `grew over the ${maxBytes}-byte limit`);
  return readBuffer.toString('utf8', 0, bytesRead);
}

function openInfo(file: string): number {
  try {
    // O_NONBLOCK: a FIFO planted in the spool must not hang the reader waiting for a writer
    return fsSync.openSync(file, constants.O_RDONLY | constants.O_NOFOLLOW | constants.O_NONBLOCK);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new SpoolFormatError(file, 'is a symbolic link');
    throw error;
  }
}

function checkPlainFile(fd: number, file: string, maxBytes: number): fsSync.Stats {
  const stat = fsSync.fstatSync(fd);
  if (!stat.isFile()) throw new SpoolFormatError(file, 'is not a regular file');
  if (stat.size > maxBytes) throw new SpoolFormatError(file, `is ${stat.size} bytes, over the ${maxBytes}-byte limit`);
  return stat;
}

/** A small spool file's text and when it last changed (its ctime: a rename sets it, on the server's clock). */
export function readInfo(file: string, maxBytes = MAX_INFO_FILE_BYTES): { text: string; changedMs: number } {
  const fd = openInfo(file);
  try {
    const stat = checkPlainFile(fd, file, maxBytes);
    return { text: readToEnd(fd, file, maxBytes), changedMs: stat.ctimeMs };
  } finally {
    fsSync.closeSync(fd);
  }
}

/** Parses JSON text, turning syntax errors into a SpoolFormatError naming the file. */
export function parseJson(text: string, file: string): unknown {
  try {
    return JSON.parse(text);
  } catch (error) {
    throw new SpoolFormatError(file, `is not valid JSON (${(error as Error).message})`);
  }
}

export function isMissing(error: unknown): boolean {
  const code = (error as NodeJS.ErrnoException)?.code;
  return code === 'ENOENT' || code === 'ENOTDIR';
}

/** Names in a directory; a directory that does not exist (yet, or any more) is empty. */
export async function listNames(dir: string): Promise<string[]> {
  try {
    return await fs.readdir(dir);
  } catch (error) {
    if (isMissing(error)) return [];
    throw error;
  }
}

/** Whether a directory has at least one entry (`accept`ed: not a dot file by default), reading as few as it can. */
export async function hasEntries(dir: string, accept: (name: string) => boolean = (name) => !name.startsWith('.')): Promise<boolean> {
  let handle;
  try {
    handle = fsSync.opendirSync(dir, { bufferSize: 4 });
  } catch (error) {
    if (isMissing(error)) return false;
    throw error;
  }
  try {
    for (let entry; (entry = handle.readSync());) {
      if (accept(entry.name)) return true;
    }
    return false;
  } finally {
    handle.closeSync();
  }
}
