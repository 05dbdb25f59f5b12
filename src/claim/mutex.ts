// A mutex per chunk (held by the chunk's holder from claim to end) and per job, over proper-lockfile's
// atomic mkdir.
// proper-lockfile's own stale check compares the holder's mtime with our clock, so it is turned off
// (stale = forever); we break a lock only when its mtime has not moved for LOCK_STALE_MS of our time.
import fs from 'node:fs/promises';
import fsSync from 'node:fs';
import lockfile from 'proper-lockfile';
import type { Clock } from './clock.js';
import { sleep } from './clock.js';
import { ChangeWatch } from './stale.js';
import { isMissing } from '../spool/atomic.js';
import type { Log } from '../spool/quarantine.js';

/** A holder refreshes its lock every LOCK_REFRESH_MS; one silent this long is dead. */
export const LOCK_REFRESH_MS = 1000;
export const LOCK_STALE_MS = 10_000;
const NEVER_STALE_MS = Number.MAX_SAFE_INTEGER;

type Callback = (error: unknown, result?: unknown) => void;
/** Lock paths whose release must not remove the directory: it is someone else's lock now. */
const spared = new Set<string>();
/**
 * proper-lockfile's file calls, made synchronously (it accepts any fs with callbacks): a lock is a
 * mkdir and a stat, cheaper done at once than as thread-pool round trips. One object for every lock,
 * so proper-lockfile probes the mtime precision once, not per lock.
 */
const SYNC_FS = Object.fromEntries((['mkdir', 'realpath', 'stat', 'rmdir', 'utimes'] as const).map((method) => [method, (...args: unknown[]) => {
  const callback = args.pop() as Callback;
  if (method === 'rmdir' && spared.has(args[0] as string)) {
    callback(null);
    return;
  }
  let result: unknown;
  try {
    result = (fsSync[`${method}Sync`] as (...a: unknown[]) => unknown)(...args);
  } catch (error) {
    callback(error);
    return;
  }
  callback(null, result);
}]));

export interface HeldLock {
  /** Whether the lock is still ours (not broken by someone who judged us dead): check before committing. */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

/** `gone`: the folder of the lock no longer exists (the job was removed). */
export type LockResult = { ok: true; lock: HeldLock } | { ok: false; reason: 'held' | 'gone' };

export class LockManager {
  private readonly watch = new ChangeWatch<string>(LOCK_STALE_MS);

  constructor(private readonly clock: Clock, private readonly log: Log) {}

  /** Tries once to take the lock at `lockPath`; breaks it first if its holder has gone silent. */
  async tryLock(lockPath: string): Promise<LockResult> {
    const first = await this.attempt(lockPath);
    if (first.ok || first.reason === 'gone' || !(await this.breakIfStale(lockPath))) return first;
    return this.attempt(lockPath);
  }

  /** Waits for the lock, up to `timeoutMs`; for transitions that must happen (recording a result). */
  async lock(lockPath: string, timeoutMs = 3 * LOCK_STALE_MS): Promise<LockResult> {
    const deadline = this.clock.monotonicMs() + timeoutMs;
    let delay = 5;
    for (;;) {
      const result = await this.tryLock(lockPath);
      if (result.ok || result.reason === 'gone' || this.clock.monotonicMs() > deadline) return result;
      await sleep(delay + Math.random() * delay);
      delay = Math.min(delay * 2, 250);
    }
  }

  private async attempt(lockPath: string): Promise<LockResult> {
    let release: () => Promise<void>;
    try {
      release = await lockfile.lock(lockPath, {
        lockfilePath: lockPath,
        realpath: false,
        stale: NEVER_STALE_MS,
        update: LOCK_REFRESH_MS,
        retries: 0,
        fs: SYNC_FS,
        // a compromised lock is detected again by stillHeld() before any commit
        onCompromised: (error) => this.log(`lock ${lockPath} compromised: ${error.message}`),
      });
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code === 'ELOCKED') return { ok: false, reason: 'held' };
      if (isMissing(error)) return { ok: false, reason: 'gone' };
      throw error;
    }
    const ino = statOf(lockPath)?.ino ?? null;
    this.watch.forget(lockPath);
    return {
      ok: true,
      lock: {
        stillHeld: async () => ino !== null && statOf(lockPath)?.ino === ino,
        release: async () => {
          // a lock broken and taken by someone else meanwhile is theirs: stop refreshing it, leave it be
          const ours = ino !== null && statOf(lockPath)?.ino === ino;
          if (!ours) spared.add(lockPath);
          // proper-lockfile removes the directory synchronously (SYNC_FS) inside release()
          const released = release();
          spared.delete(lockPath);
          try { await released; } catch (error) {
            // ERELEASED/ENOENT: it was broken meanwhile; the commit check already refused to write
            if (!isMissing(error) && (error as NodeJS.ErrnoException).code !== 'ERELEASED') throw error;
          }
        },
      },
    };
  }

  /**
   * Removes the lock at `lockPath` at once, whoever holds it: its holder was judged dead. Breaking a live
   * lock is safe all the same: its holder's commit checks stillHeld() and the chunk's token first.
   */
  breakHeld(lockPath: string, why: string): void {
    try {
      fsSync.rmdirSync(lockPath);
    } catch (error) {
      if (!isMissing(error)) throw error;
      return;
    }
    this.watch.forget(lockPath);
    this.log(`broke lock ${lockPath}: ${why}`);
  }

  private async breakIfStale(lockPath: string): Promise<boolean> {
    const before = statOf(lockPath)?.stamp ?? null;
    if (before === null) return true; // released meanwhile: try again at once
    if (!this.watch.isUnchangedFor(lockPath, before, this.clock.monotonicMs())) return false;
    // re-read just before removing, so a lock re-taken in between is not broken
    if (statOf(lockPath)?.stamp !== before) return false;
    try {
      await fs.rmdir(lockPath);
    } catch (error) {
      if (!isMissing(error)) throw error;
    }
    this.watch.forget(lockPath);
    this.log(`broke lock ${lockPath}: unchanged for ${LOCK_STALE_MS / 1000}s, its holder is gone`);
    return true;
  }
}

/** The lock's inode and mtime (its holder refreshes the mtime), or null when there is no lock. */
function statOf(lockPath: string): { ino: number; stamp: string } | null {
  try {
    const stat = fsSync.statSync(lockPath);
    return { ino: stat.ino, stamp: `${stat.ino}:${stat.mtimeMs}` };
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}
