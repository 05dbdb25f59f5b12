// Does the spool's filesystem do what claims rely on: mkdir fails on an existing folder, rename
// replaces a file in one step, and how fine are its mtimes. Measured in a scratch folder of tmp/.
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { fail, ok, warn, type Check } from './check.js';

export interface SemanticsFound {
  /** An error writing in tmp/ at all: nothing else was measured. */
  writeError?: string;
  mkdirExclusive: boolean;
  renameReplaces: boolean;
  /** The finest step seen in mtimes, in ns (1e9: whole seconds). */
  mtimeStepNs: number;
}

export async function measureSemantics(tmpDir: string): Promise<SemanticsFound> {
  const scratch = path.join(tmpDir, `doctor-${randomBytes(6).toString('hex')}`);
  try {
    await fs.mkdir(scratch);
  } catch (error) {
    return { writeError: (error as Error).message, mkdirExclusive: false, renameReplaces: false, mtimeStepNs: 0 };
  }
  try {
    const lock = path.join(scratch, 'lock');
    await fs.mkdir(lock);
    const mkdirExclusive = await fs.mkdir(lock).then(() => false, (error: NodeJS.ErrnoException) => error.code === 'EEXIST');
    const target = path.join(scratch, 'target');
    await fs.writeFile(target, 'old');
    await fs.writeFile(`${target}.new`, 'new');
    await fs.rename(`${target}.new`, target);
    const renameReplaces = (await fs.readFile(target, 'utf8')) === 'new' && !(await fs.stat(`${target}.new`).then(() => true, () => false));
    let step = 1e9;
    for (let i = 0; i < 5; i++) {
      const file = path.join(scratch, `t${i}`);
      await fs.writeFile(file, String(i));
      const ns = (await fs.stat(file, { bigint: true })).mtimeNs;
      for (const unit of [1, 1e3, 1e6, 1e9]) {
        if (ns % BigInt(unit * 10) !== 0n) { step = Math.min(step, unit); break; }
      }
    }
    return { mkdirExclusive, renameReplaces, mtimeStepNs: step };
  } catch (error) {
    return { writeError: (error as Error).message, mkdirExclusive: false, renameReplaces: false, mtimeStepNs: 0 };
  } finally {
    await fs.rm(scratch, { recursive: true, force: true }).catch(() => {});
  }
}

export function semanticsVerdicts(found: SemanticsFound): Check[] {
  if (found.writeError) {
    return [fail('spool.atomic', `cannot write in the spool's tmp/: ${found.writeError}`, 'give the farm\'s users write access to the spool (see spool.permissions)')];
  }
  const atomic = found.mkdirExclusive && found.renameReplaces
    ? ok('spool.atomic', 'mkdir of an existing folder fails (EEXIST) and rename replaces a file in one step')
    : fail('spool.atomic', [!found.mkdirExclusive && 'mkdir of an existing folder did not fail', !found.renameReplaces && 'rename did not replace the existing file'].filter(Boolean).join('; '),
      'chunk locks and claims need exclusive mkdir and replacing rename: move the spool to NFS or a local filesystem (for sshfs: the server must offer posix-rename)');
  const step = found.mtimeStepNs;
  const precision = step >= 1e9 ? 'whole seconds' : step >= 1e6 ? 'milliseconds' : step >= 1e3 ? 'microseconds' : 'nanoseconds';
  const mtime = step >= 1e9
    ? warn('spool.mtime', `mtimes in ${precision}`, 'two changes within a second look the same to tools that compare times (renderd itself uses counters): prefer a filesystem with finer times (NFS 3+, ext4)')
    : ok('spool.mtime', `mtimes in ${precision}`);
  return [atomic, mtime];
}

export interface SpaceFound { freeBytes: number; totalBytes: number; freeInodes: number; totalInodes: number }

export async function measureSpace(dir: string): Promise<SpaceFound> {
  const s = await fs.statfs(dir);
  return { freeBytes: s.bavail * s.bsize, totalBytes: s.blocks * s.bsize, freeInodes: s.ffree, totalInodes: s.files };
}

const GiB = 1024 ** 3;

export function spaceVerdict(space: SpaceFound, bytesText: (n: number) => string): Check {
  const id = 'spool.space';
  const inodes = space.totalInodes > 0 ? `, ${space.freeInodes} of ${space.totalInodes} inodes free` : '';
  const found = `${bytesText(space.freeBytes)} free of ${bytesText(space.totalBytes)}${inodes}`;
  const advice = 'free space on the spool (render clean drops finished jobs), or grow the filesystem';
  if (space.freeBytes < 100 * 1024 ** 2 || (space.totalInodes > 0 && space.freeInodes < 1000)) return fail(id, found, `nothing new can be written: ${advice}`);
  if (space.freeBytes < 2 * GiB || space.freeBytes < space.totalBytes * 0.05 || (space.totalInodes > 0 && space.freeInodes < space.totalInodes * 0.05)) return warn(id, found, advice);
  return ok(id, found);
}
