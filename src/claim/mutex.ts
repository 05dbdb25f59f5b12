// A mutex per chunk (held by the chunk's holder from claim to end) and per job: a lock directory carrying
// its owner's token (lock-dir.ts). A node's tokens are hard links to its lease file (nodes/.leases/), whose
// mtime it refreshes once per LOCK_REFRESH_MS whatever the number of locks it holds (issue 26); a process
// without a lease (the CLI), or on a filesystem without hard links, refreshes each lock's own mtime. We
// break a lock only when neither has moved for LOCK_STALE_MS of our own monotonic time (never by comparing
// the holder's clock with ours), or when its owner was judged dead (breakHeld) — and only that owner's lock.
import type { Clock } from '../liveness/clock.js';
import { sleep } from '../liveness/clock.js';
import { ChangeWatch } from '../liveness/change-watch.js';
import { breakLockDir, holdsLockDir, lockStamp, lockTokens, newLockToken, ownerOfToken, releaseLockDir, takeLockDir } from './lock-dir.js';
import { touchNoFollow } from '../spool/no-follow.js';
import path from 'node:path';
import { newInstanceId } from '../nodes/host.js';
import fsSync from 'node:fs';
import { isMissing } from '../spool/atomic.js';
import type { Log } from '../spool/quarantine.js';

import { LOCK_REFRESH_MS, LOCK_STALE_MS } from '../liveness/budget.js';

export { LOCK_REFRESH_MS, LOCK_STALE_MS };

/** A node instance's lease file: its lock tokens are links to it (nodes/.leases/<instance>). */
export function leaseFileOf(layout: { nodes: string }, instance: string): string {
  return path.join(layout.nodes, '.leases', instance);
}

export interface HeldLock {
  /** Whether the lock is still ours (not broken by someone who judged us dead): check before committing. */
  stillHeld(): Promise<boolean>;
  release(): Promise<void>;
}

/** `gone`: the folder of the lock no longer exists (the job was removed). */
export type LockResult = { ok: true; lock: HeldLock } | { ok: false; reason: 'held' | 'gone' };

export class LockManager {
  private readonly watch = new ChangeWatch<string>(LOCK_STALE_MS);
  /** Locks held now (path → token), kept alive together by one timer. */
  private readonly held = new Map<string, string>();
  /** Those of them whose token is a link to the lease: the lease's refresh keeps them alive. */
  private readonly leased = new Set<string>();
  private refresher: NodeJS.Timeout | undefined;
  /** This owner's lease file, if it has one (useLease). */
  private lease: string | undefined;

  /** `owner`: who takes the locks (a node's instance id), written into each lock's token. */
  constructor(private readonly clock: Clock, private readonly log: Log, readonly owner: string = newInstanceId()) {}

  /**
   * From now on, locks taken here have their token linked to `file` (made if missing; on the spool's
   * filesystem), and one refresh of its mtime keeps them all alive. A lock whose link is refused gets a
   * token of its own, refreshed by itself as before.
   */
  useLease(file: string): void {
    fsSync.mkdirSync(path.dirname(file), { recursive: true });
    touchNoFollow(file);
    this.lease = file;
  }

  /** The lease file is removed (at a clean exit, once no lock is held: a held one keeps its own link). */
  dropLease(): void {
    const file = this.lease;
    this.lease = undefined;
    if (!file) return;
    try { fsSync.unlinkSync(file); } catch (error) { if (!isMissing(error)) this.log(`lease ${file}: not removed: ${(error as Error).message}`); }
  }

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
    const taken = takeLockDir(lockPath, token, this.lease);
    if (taken === 'held' || taken === 'gone') return { ok: false, reason: taken };
    this.watch.forget(lockPath);
    this.held.set(lockPath, token);
    if (taken === 'leased') this.leased.add(lockPath);
    else this.leased.delete(lockPath);
    this.startRefreshing();
    return {
      ok: true,
      lock: {
        stillHeld: async () => holdsLockDir(lockPath, token),
        release: async () => {
          if (this.held.get(lockPath) === token) {
            this.held.delete(lockPath);
            this.leased.delete(lockPath);
          }
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

  /**
   * One timer for every held lock, so nobody judges one stale: the lease's mtime moves (one call for all the
   * leased locks), and the mtime of each other lock still ours.
   */
  private startRefreshing(): void {
    if (this.refresher) return;
    this.refresher = setInterval(() => {
      if (this.held.size === 0) {
        clearInterval(this.refresher);
        this.refresher = undefined;
        return;
      }
      const now = new Date();
      if (this.leased.size > 0) this.refreshLease(now);
      for (const [lockPath, token] of this.held) {
        if (this.leased.has(lockPath)) continue;
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

  private refreshLease(now: Date): void {
    const file = this.lease;
    if (!file) return;
    try {
      fsSync.utimesSync(file, now, now);
    } catch (error) {
      // the lease file removed by hand: the locks linked to it keep their inode, which only their tokens name now
      const token = [...this.leased].map((lockPath) => `${lockPath}/${this.held.get(lockPath)}.owner`)[0];
      if (isMissing(error) && token) {
        try { fsSync.linkSync(token, file); return this.refreshLease(now); } catch { /* logged below */ }
      }
      this.log(`lease ${file}: refresh failed: ${(error as Error).message}`);
    }
  }
}

function sameTokens(a: string[], b: string[]): boolean {
  return a.length === b.length && a.every((t) => b.includes(t));
}

/** What moves while the lock's holder lives (lock-dir.ts lockStamp), or null when there is no lock. */
function stampOf(lockPath: string): string | null {
  return lockStamp(lockPath);
}
