// A mutex per chunk (held by the chunk's holder from claim to end) and per job: a lock directory carrying
// its owner's token (lock-dir.ts). Its holder refreshes the directory's mtime; we break a lock only when
// that mtime has not moved for LOCK_STALE_MS of our own monotonic time (never by comparing the holder's
// clock with ours), or when its owner was judged dead (breakHeld) — and only that owner's lock.
import type { Clock } from '../liveness/clock.js';
import { sleep } from '../liveness/clock.js';
import { ChangeWatch } from '../liveness/change-watch.js';
import { breakLockDir, holdsLockDir, lockTokens, newLockToken, ownerOfToken, releaseLockDir, takeLockDir } from './lock-dir.js';
import { newInstanceId } from '../nodes/host.js';
import fsSync from 'node:fs';
import { isMissing } from '../spool/atomic.js';
import type { Log } from '../spool/quarantine.js';

import { LOCK_REFRESH_MS, LOCK_STALE_MS } from '../liveness/budget.js';

export { LOCK_REFRESH_MS, LOCK_STALE_MS };

export interface HeldLock {
  /** Whether the lock is still ours (not broken by someone who judged us dead): check before committing. */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

/** `gone`: the folder of the lock no longer exists (the job was removed). */
export type LockResult = { ok: true; lock: HeldLock } | { ok: false; reason: 'held' | 'gone' };

export class LockManager {
  private readonly watch = new ChangeWatch<string>(LOCK_STALE_MS);
  /** Locks held now (path → token), refreshed together by one timer. */
  private readonly held = new Map<string, string>();
  private refresher: NodeJS.Timeout | undefined;

  /** `owner`: who takes the locks (a node's instance id), written into each lock's token. */
  constructor(private readonly clock: Clock, private readonly log: Log, readonly owner: string = newInstanceId()) {}

  /** Tries once to take the lock at `lockPath`; breaks it first if its holder has gone silent. */
  async tryLock(lockPath: string): Promise<LockResult> {
    const first = this.attempt(lockPath);
    if (first.ok || first.reason === 'gone' || !this.breakIfStale(lockPath)) return first;
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

  private attempt(lockPath: string): LockResult {
    const token = newLockToken(this.owner);
    const taken = takeLockDir(lockPath, token);
    if (taken !== 'taken') return { ok: false, reason: taken };
    this.watch.forget(lockPath);
    this.held.set(lockPath, token);
    this.startRefreshing();
    return {
      ok: true,
      lock: {
        stillHeld: async () => holdsLockDir(lockPath, token),
        release: async () => {
          if (this.held.get(lockPath) === token) this.held.delete(lockPath);
          releaseLockDir(lockPath, token);
        },
      },
    };
  }

  /**
   * Breaks the lock at `lockPath` at once if `deadOwner` (an instance judged dead) holds it. Returns whether
   * the lock is free of that owner now; false when someone else holds it (leave the chunk to them).
   */
  breakHeld(lockPath: string, why: string, deadOwner: string): boolean {
    const result = breakLockDir(lockPath, (tokens) => tokens.length > 0 && tokens.every((t) => ownerOfToken(t) === deadOwner));
    if (result === 'broken') {
      this.watch.forget(lockPath);
      this.log(`broke lock ${lockPath}: ${why}`);
    }
    return result !== 'refused';
  }

  private breakIfStale(lockPath: string): boolean {
    const before = stampOf(lockPath);
    if (before === null) return true; // released meanwhile: try again at once
    if (!this.watch.isUnchangedFor(lockPath, before, this.clock.monotonicMs())) return false;
    // the tokens seen now are the lock judged: one re-taken before the rename is refused, after it moved aside
    const judged = lockTokens(lockPath);
    if (judged === null) return true;
    if (stampOf(lockPath) !== before) return false;
    const result = breakLockDir(lockPath, (tokens) => sameTokens(tokens, judged));
    this.watch.forget(lockPath);
    if (result === 'broken') this.log(`broke lock ${lockPath}: unchanged for ${LOCK_STALE_MS / 1000}s, its holder is gone`);
    return result !== 'refused';
  }

  /** One timer for every held lock: the mtime of each lock still ours moves, so nobody judges it stale. */
  private startRefreshing(): void {
    if (this.refresher) return;
    this.refresher = setInterval(() => {
      if (this.held.size === 0) {
        clearInterval(this.refresher);
        this.refresher = undefined;
        return;
      }
      const now = new Date();
      for (const [lockPath, token] of this.held) {
        try {
          if (holdsLockDir(lockPath, token)) fsSync.utimesSync(lockPath, now, now);
          else {
            this.held.delete(lockPath);
            this.log(`lock ${lockPath} was broken: its next commit is refused`);
          }
        } catch (error) {
          if (!isMissing(error)) this.log(`lock ${lockPath}: refresh failed: ${(error as Error).message}`);
        }
      }
    }, LOCK_REFRESH_MS);
    this.refresher.unref();
  }
}

function sameTokens(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((t) => b.includes(t));
}

/** The lock's inode and mtime (its holder refreshes the mtime), or null when there is no lock. */
function stampOf(lockPath: string): string | null {
  try {
    const stat = fsSync.statSync(lockPath);
    return `${stat.ino}:${stat.mtimeMs}`;
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}
