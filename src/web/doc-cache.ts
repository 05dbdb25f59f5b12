// Documents read for the API, shared for one watcher poll: fifty pages asking for a running job of
// 10,000 chunks within the same half second cost one read of its chunk files, not fifty. A page sees
// a document at most one poll old, as it sees the farm through the event stream.

/** Documents kept at once; the oldest goes first (a few jobs' pages are open at a time). */
export const DOC_CACHE_ENTRIES = 64;

interface Entry<T> { at: number; value: Promise<T> }

export class DocCache<T> {
  private readonly entries = new Map<string, Entry<T>>();

  constructor(private readonly ttlMs: number, private readonly now: () => number) {}

  /** The document under `key`, read by `load` unless one read within ttlMs is at hand or under way. */
  get(key: string, load: () => Promise<T>): Promise<T> {
    const hit = this.entries.get(key);
    if (hit && this.now() - hit.at < this.ttlMs) return hit.value;
    const value = load();
    const entry = { at: this.now(), value };
    this.entries.delete(key);
    this.entries.set(key, entry);
    // a failed read is not kept: the next request tries again
    value.catch(() => { if (this.entries.get(key) === entry) this.entries.delete(key); });
    if (this.entries.size > DOC_CACHE_ENTRIES) this.entries.delete(this.entries.keys().next().value!);
    return value;
  }

  /** After an action: what was read before it is not what the farm is now. */
  clear(): void {
    this.entries.clear();
  }
}
