// Deciding that something another host keeps fresh (a lock's mtime, a node's heartbeat) has stopped
// changing — timed only on the observer's own monotonic clock, so skewed clocks cannot fool it.

export class ChangeWatch<K> {
  private readonly seen = new Map<K, { value: string; since: number; lastLook: number }>();

  constructor(private readonly windowMs: number, private readonly maxEntries = 100_000) {}

  /**
   * Records the current value of `key` and says whether it has stayed the same for the whole window.
   * The first sighting starts the window: a value we have not watched long enough is never stale.
   */
  isUnchangedFor(key: K, value: string, nowMs: number): boolean {
    return this.unchangedMs(key, value, nowMs) >= this.windowMs;
  }

  /** Records the current value of `key`; returns how long it has stayed the same (0 at first sight). */
  unchangedMs(key: K, value: string, nowMs: number): number {
    const entry = this.seen.get(key);
    if (!entry || entry.value !== value) {
      if (this.seen.size >= this.maxEntries) this.prune(nowMs);
      this.seen.set(key, { value, since: nowMs, lastLook: nowMs });
      return 0;
    }
    entry.lastLook = nowMs;
    return nowMs - entry.since;
  }

  /** How long the last recorded value of `key` has stayed the same (0 if never seen). */
  quietMs(key: K, nowMs: number): number {
    const entry = this.seen.get(key);
    return entry ? nowMs - entry.since : 0;
  }

  /** Whether `key` is remembered (looked at lately). */
  has(key: K): boolean {
    return this.seen.has(key);
  }

  forget(key: K): void {
    this.seen.delete(key);
  }

  /**
   * Drops entries nobody has looked at for `keepMs` (a few windows), so memory stays bounded. A caller that
   * looks less often than that must keep them longer, or every look is a first sighting and nothing is
   * ever judged stale.
   */
  prune(nowMs: number, keepMs = 3 * this.windowMs): void {
    for (const [key, entry] of this.seen) if (nowMs - entry.lastLook > keepMs) this.seen.delete(key);
    if (this.seen.size >= this.maxEntries) this.seen.clear();
  }

  /** Forgets every key but those in `keys`. */
  retain(keys: ReadonlySet<K>): void {
    for (const key of this.seen.keys()) if (!keys.has(key)) this.seen.delete(key);
  }
}
