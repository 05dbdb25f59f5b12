// A lock on the spool: a directory (mkdir is atomic on every filesystem we meet, NFS and GlusterFS
// included) holding one empty file named for its owner, `<owner>.<nonce>.owner`. That token, not the
// directory's inode (ext4 hands the same inode out again at once after rmdir + mkdir), proves who holds it.
// Breaking a lock is a rename of the directory to a unique name, then a look at the token inside: only
// the lock that was judged is removed, never one taken again meanwhile.
import fs from 'node:fs';
import { isMissing } from '../spool/atomic.js';
import { randomHex } from '../spool/nonce.js';

const TOKEN_SUFFIX = '.owner';
const ASIDE_MARK = '.broken-';

/** A fresh token for `owner` (a node's instance id, or a process's). */
export function newLockToken(owner: string): string {
  return `${owner}.${randomHex(6)}`;
}

/** The owner part of a token. */
export function ownerOfToken(token: string): string {
  return token.slice(0, token.lastIndexOf('.'));
}

const tokenFile = (lockPath: string, token: string) => `${lockPath}/${token}${TOKEN_SUFFIX}`;

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code;
}

/** A lookup that found nothing, or a handle another client's rename made stale. */
export function isGone(error: unknown): boolean {
  return isMissing(error) || codeOf(error) === 'ESTALE';
}

/**
 * `held`: someone has it; `gone`: the folder the lock lives in does not exist (its job was removed).
 * `leased`: taken, its token a hard link to `lease` (its owner's lease file, on the same filesystem), so
 * the token's mtime is the lease's: one refresh of the lease keeps every such lock of its owner alive.
 * `taken`: taken with a token of its own (no lease, or a filesystem that refused the link): its owner
 * refreshes the lock itself.
 */
export function takeLockDir(lockPath: string, token: string, lease?: string): 'leased' | 'taken' | 'held' | 'gone' {
  try {
    fs.mkdirSync(lockPath);
  } catch (error) {
    if (codeOf(error) === 'EEXIST') return 'held';
    if (isGone(error)) return 'gone';
    throw error;
  }
  if (lease) {
    try {
      fs.linkSync(lease, tokenFile(lockPath, token));
      return 'leased';
    } catch (error) {
      // broken between our mkdir and our token (it looked abandoned): not ours
      if (isGone(error) && !fs.existsSync(lockPath)) return 'held';
      // NFSv3: a retransmitted LINK answers EEXIST although the first one made it — the token is ours if it
      // is the lease's inode (else, once written below, it would be kept alive by our lease without our knowing)
      if (codeOf(error) === 'EEXIST' && isSameFile(lease, tokenFile(lockPath, token))) return 'leased';
      // no hard links here (EPERM, ENOTSUP, EXDEV, EMLINK…) or the lease file gone: a token of its own
    }
  }
  try {
    fs.writeFileSync(tokenFile(lockPath, token), '', { flag: 'wx' });
  } catch (error) {
    // broken between our mkdir and our token (it looked abandoned): not ours
    if (isGone(error)) return 'held';
    throw error;
  }
  return 'taken';
}

function isSameFile(a: string, b: string): boolean {
  try {
    const [x, y] = [fs.statSync(a), fs.statSync(b)];
    return x.ino === y.ino && x.dev === y.dev;
  } catch {
    return false; // either is gone: not proven ours
  }
}

/**
 * What says a lock is alive, as one string: the directory's inode and mtime (moved by a holder that refreshes
 * the lock itself) and each token's mtime (moved with its owner's lease, when the token is a link to it).
 * Null when there is no lock.
 */
export function lockStamp(lockPath: string): string | null {
  try {
    const dir = fs.statSync(lockPath);
    const tokens = (lockTokens(lockPath) ?? []).sort().map((token) => {
      try {
        return `${token}@${fs.statSync(tokenFile(lockPath, token)).mtimeMs}`;
      } catch (error) {
        if (isGone(error)) return `${token}@gone`;
        throw error;
      }
    });
    return `${dir.ino}:${dir.mtimeMs}|${tokens.join(',')}`;
  } catch (error) {
    if (isGone(error)) return null;
    throw error;
  }
}

/** Whether `token` is in the lock at `lockPath` now. An open by name, so NFS revalidates it (close-to-open). */
export function holdsLockDir(lockPath: string, token: string): boolean {
  try {
    fs.closeSync(fs.openSync(tokenFile(lockPath, token), 'r'));
    return true;
  } catch (error) {
    if (isGone(error)) return false;
    throw error;
  }
}

/** The tokens in the lock at `lockPath` ([] while its taker has not written one yet), or null without a lock. */
export function lockTokens(lockPath: string): string[] | null {
  try {
    return fs.readdirSync(lockPath).filter((n) => n.endsWith(TOKEN_SUFFIX)).map((n) => n.slice(0, -TOKEN_SUFFIX.length));
  } catch (error) {
    if (isGone(error) || codeOf(error) === 'ENOTDIR') return null;
    throw error;
  }
}

/** Gives the lock up if it is still ours; a lock broken and taken by someone else meanwhile is left alone. */
export function releaseLockDir(lockPath: string, token: string): boolean {
  try {
    fs.unlinkSync(tokenFile(lockPath, token));
  } catch (error) {
    if (isGone(error)) return false;
    throw error;
  }
  removeEmptyDir(lockPath);
  return true;
}

export type BreakResult = 'broken' | 'gone' | 'refused';

/**
 * Breaks the lock at `lockPath` if `judged(tokens)` says its tokens are those of the holder judged dead.
 * Checked before (a lock taken again meanwhile is not touched) and after the rename (one taken again in
 * between was moved aside: its owner finds its token gone before any commit, and the caller backs off).
 */
export function breakLockDir(lockPath: string, judged: (tokens: string[]) => boolean): BreakResult {
  const before = lockTokens(lockPath);
  if (before === null) return 'gone';
  if (!judged(before)) return 'refused';
  const aside = `${lockPath}${ASIDE_MARK}${randomHex(6)}`;
  try {
    fs.renameSync(lockPath, aside);
  } catch (error) {
    if (isGone(error)) return 'gone';
    throw error;
  }
  const moved = lockTokens(aside) ?? [];
  // never renamed back: an empty lock dir made meanwhile would be replaced, and two owners would share it
  removeLockDir(aside);
  return judged(moved) ? 'broken' : 'refused';
}

function removeLockDir(dir: string): void {
  for (const token of lockTokens(dir) ?? []) {
    try { fs.unlinkSync(tokenFile(dir, token)); } catch (error) { if (!isGone(error)) throw error; }
  }
  removeEmptyDir(dir);
}

function removeEmptyDir(dir: string): void {
  try {
    fs.rmdirSync(dir);
  } catch (error) {
    // not empty: someone else's token is in it (it was broken and taken again), leave it be
    if (!isGone(error) && codeOf(error) !== 'ENOTEMPTY' && codeOf(error) !== 'EEXIST') throw error;
  }
}
