// The folder of a node's Unix socket, made safe: only its user may write it. In /tmp another local user
// could create `renderd-<uid>` first (theirs, or a link elsewhere); then the node takes a fresh private
// folder of its own instead (tools find the socket by the path in the node's record), never theirs.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

/** Why `dir` is not a folder only we can write, or null when it is (a too-open mode of ours is fixed). */
export async function unsafeReason(dir: string, uid = process.getuid?.() ?? -1): Promise<string | null> {
  let stat;
  try {
    stat = await fs.lstat(dir);
  } catch (error) {
    return `cannot be checked (${(error as NodeJS.ErrnoException).code})`;
  }
  if (stat.isSymbolicLink()) return 'is a symbolic link';
  if (!stat.isDirectory()) return 'is not a directory';
  if (stat.uid !== uid) return `belongs to uid ${stat.uid}, not ${uid}`;
  if ((stat.mode & 0o077) !== 0) await fs.chmod(dir, 0o700);
  return null;
}

/** Creates `dir` (mode 0700) if missing, then checks it; the reason it is unsafe, or null. */
async function claimDir(dir: string): Promise<string | null> {
  try {
    await fs.mkdir(dir, { mode: 0o700 });
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'EEXIST') return `cannot be created (${(error as NodeJS.ErrnoException).code})`;
  }
  return unsafeReason(dir);
}

/**
 * A socket path in a folder only this user can write: `preferred` when its folder and the one above it
 * are ours (0700, not links), else the same name in a fresh private folder under the temp dir.
 */
export async function privateSocketPath(preferred: string, warn: (line: string) => void): Promise<string> {
  const folder = path.dirname(preferred);
  for (const dir of [path.dirname(folder), folder]) {
    const reason = await claimDir(dir);
    if (reason) {
      const fresh = await fs.mkdtemp(path.join(os.tmpdir(), `renderd-${process.getuid?.() ?? 'u'}-`));
      warn(`socket folder ${dir} ${reason}: not used; the socket is in ${fresh} instead`);
      return path.join(fresh, path.basename(preferred));
    }
  }
  return preferred;
}
