// Spool writes never follow links: a symlink planted in the spool (a chunk log, a marker, a folder on the
// way) must not make a node — often root — write outside it. Files open with O_NOFOLLOW; the folders
// between the spool's root and the file are lstat'ed and must be real folders.
import fsSync, { constants } from 'node:fs';
import path from 'node:path';
import { SpoolFormatError } from '../errors.js';

/** The spools this process works on: only folders below one of them are checked (the root may be a link). */
const roots = new Set<string>();

export function registerSpoolRoot(root: string): void {
  roots.add(path.resolve(root));
}

/** Throws when a folder below the spool's root, down to `dir` itself, is a link or not a folder. */
export function checkFoldersInside(dir: string): void {
  const resolved = path.resolve(dir);
  for (const root of roots) {
    if (!resolved.startsWith(root + path.sep)) continue;
    let at = root;
    for (const part of resolved.slice(root.length + 1).split(path.sep)) {
      at = path.join(at, part);
      let stat;
      try {
        stat = fsSync.lstatSync(at);
      } catch {
        return; // missing: the open that follows says so
      }
      if (stat.isSymbolicLink()) throw new SpoolFormatError(at, 'is a symbolic link: spool writes never follow links');
      if (!stat.isDirectory()) throw new SpoolFormatError(at, 'is not a folder');
    }
    return;
  }
}

/**
 * Opens a spool file for writing without following a link, at its name or on the way; `flags` are
 * O_* write flags (O_NOFOLLOW and O_NONBLOCK are added). Only a regular file is ever written.
 */
export function openNoFollow(file: string, flags: number, mode = 0o644): number {
  checkFoldersInside(path.dirname(file));
  let fd: number;
  try {
    fd = fsSync.openSync(file, flags | constants.O_NOFOLLOW | constants.O_NONBLOCK, mode);
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') throw new SpoolFormatError(file, 'is a symbolic link: spool writes never follow links');
    throw error;
  }
  // O_CREAT|O_EXCL made a new regular file or failed: only an existing file needs the look
  const createdNew = (flags & constants.O_CREAT) !== 0 && (flags & constants.O_EXCL) !== 0;
  if (!createdNew && !fsSync.fstatSync(fd).isFile()) {
    fsSync.closeSync(fd);
    throw new SpoolFormatError(file, 'is not a regular file');
  }
  return fd;
}

export const APPEND = constants.O_WRONLY | constants.O_APPEND | constants.O_CREAT;
export const TRUNCATE = constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC;
export const CREATE_NEW = constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL;

/** Writes `text` to a spool file (created or truncated), never through a link. */
export function writeNoFollow(file: string, text: string | Uint8Array, mode = 0o644): void {
  const fd = openNoFollow(file, TRUNCATE, mode);
  try {
    if (text.length) fsSync.writeFileSync(fd, text);
  } finally {
    fsSync.closeSync(fd);
  }
}

/** Creates an empty file if it is not there (a marker, an entry), never through a link. */
export function touchNoFollow(file: string, mode = 0o644): void {
  fsSync.closeSync(openNoFollow(file, constants.O_WRONLY | constants.O_CREAT, mode));
}
