// The farm key: 32 random bytes in <spool>/farm.key, shared by everyone who may use the spool.
//
// Created once, never overwritten. Publication is by link(2), not rename(2): rename would
// silently replace a key another process created a moment before (two processes would then
// hold different keys); link fails with EEXIST instead, atomically, also on NFS. After EEXIST
// (another creator won, or NFS retransmitted our own successful LINK) the file on disk is the
// key either way: read it back.
import crypto from 'node:crypto';
import fs from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import { FarmError } from '../errors.js';
import { FARM_KEY_BYTES } from './codec.js';

export const FARM_KEY_FILE = 'farm.key';
const KEY_TEXT = /^([0-9a-fA-F]{64})\n?$/;
/** A key file is 65 bytes; anything much larger is not a key and is not read into memory. */
const MAX_KEY_FILE_BYTES = 256;

/** The farm key file is missing, unreadable, unsafe or malformed. */
export class FarmKeyError extends FarmError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('EFARMKEY', `${file}: ${message}`, options);
    this.name = 'FarmKeyError';
    this.file = file;
  }
}

export function farmKeyPath(spoolDir: string): string {
  return path.join(spoolDir, FARM_KEY_FILE);
}

/** Reads and checks the spool's farm key. */
export async function readFarmKey(spoolDir: string): Promise<Buffer> {
  const file = farmKeyPath(spoolDir);
  let handle: fs.FileHandle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    throw new FarmKeyError(file, describeOpenError(error), { cause: error });
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new FarmKeyError(file, 'is not a regular file');
    if (stat.mode & 0o022) throw new FarmKeyError(file, `is writable by group or others (mode ${modeText(stat.mode)}); anyone who can change it can lock the farm out or replace its key: chmod 600 (or 640 for a farm group)`);
    if (stat.mode & 0o004) throw new FarmKeyError(file, `is readable by every user (mode ${modeText(stat.mode)}); anyone who reads it can command every node: chmod 600 (or 640 for a farm group)`);
    if (stat.size > MAX_KEY_FILE_BYTES) throw new FarmKeyError(file, `is ${stat.size} bytes; a farm key is ${FARM_KEY_BYTES * 2} hex digits`);
    const match = KEY_TEXT.exec(await handle.readFile('utf8'));
    if (!match) throw new FarmKeyError(file, `does not hold exactly ${FARM_KEY_BYTES * 2} hex digits (${FARM_KEY_BYTES} bytes)`);
    return Buffer.from(match[1], 'hex');
  } finally {
    await handle.close();
  }
}

/** Returns the spool's farm key, creating it (mode 0600) if the spool has none yet. */
export async function ensureFarmKey(spoolDir: string): Promise<Buffer> {
  try {
    return await readFarmKey(spoolDir);
  } catch (error) {
    if (!(error instanceof FarmKeyError && (error.cause as NodeJS.ErrnoException)?.code === 'ENOENT')) throw error;
  }
  await fs.mkdir(spoolDir, { recursive: true });
  const file = farmKeyPath(spoolDir);
  const temp = path.join(spoolDir, `.${FARM_KEY_FILE}.${process.pid}.${crypto.randomBytes(6).toString('hex')}.tmp`);
  try {
    try {
      await writeDurably(temp, crypto.randomBytes(FARM_KEY_BYTES).toString('hex') + '\n');
    } catch (error) {
      throw new FarmKeyError(file, `cannot be created: ${(error as Error).message}`, { cause: error });
    }
    await publishOnce(temp, file);
  } finally {
    await fs.rm(temp, { force: true });
  }
  await syncDirectory(spoolDir);
  return readFarmKey(spoolDir);
}

async function writeDurably(file: string, text: string): Promise<void> {
  const handle = await fs.open(file, 'wx', 0o600);
  try {
    await handle.chmod(0o600); // whatever the umask, and 0600 before the key is written
    await handle.writeFile(text);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

async function publishOnce(temp: string, file: string): Promise<void> {
  try {
    await fs.link(temp, file);
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return; // someone else's key (or our own, retransmitted): read back by the caller
    if (code === 'EPERM' || code === 'ENOTSUP' || code === 'EOPNOTSUPP' || code === 'ENOSYS') {
      throw new FarmKeyError(file, `cannot be created: this filesystem does not support hard links (${code}), which make creating the key race-free; create it once by hand: openssl rand -hex 32 > ${file} && chmod 600 ${file}`, { cause: error });
    }
    throw new FarmKeyError(file, `cannot be created: ${(error as Error).message}`, { cause: error });
  }
}

async function syncDirectory(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // Some filesystems refuse fsync on a directory (EINVAL/EISDIR); the link is still done.
    if (!['EINVAL', 'EISDIR', 'EBADF', 'ENOTSUP'].includes((error as NodeJS.ErrnoException).code ?? '')) throw error;
  } finally {
    await handle.close();
  }
}

function describeOpenError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code === 'ENOENT') return 'no farm key (is this a spool? renderd creates it on first start)';
  if (code === 'ELOOP') return 'is a symbolic link; the farm key must be a regular file inside the spool';
  if (code === 'EACCES') return 'cannot be read by this user; ask for the farm group, or check its mode';
  return `cannot be opened: ${(error as Error).message}`;
}

function modeText(mode: number): string {
  return (mode & 0o777).toString(8).padStart(4, '0');
}
