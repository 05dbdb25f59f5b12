// Who watches whom (issue 17): every node that may hold chunks is watched by a few live nodes, not by all of
// them — with 200 busy nodes, all reading all heartbeats every sweep was 20,000 reads a second on the filer.
// Safety never rests on the watchers (a holder's launcher kills its renders before any window runs out);
// they only bring a dead holder's chunks back. Each node picks the same ones from its own list of live nodes
// (rendezvous hashing), and lists that differ for a while give a holder a watcher more or less; the safety
// sweep, which reads every record, still finds a holder whose watchers all died with it.

/** How many nodes watch each holder's heartbeat. */
export const WATCHERS_PER_HOLDER = 3;

/** FNV-1a, 32 bits, then murmur3's finalizer (FNV alone barely mixes names that differ in a digit): a stable score. */
function score(holder: string, watcher: string): number {
  let hash = 0x811c9dc5;
  const text = `${holder}\0${watcher}`;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  hash = Math.imul(hash ^ (hash >>> 16), 0x85ebca6b);
  hash = Math.imul(hash ^ (hash >>> 13), 0xc2b2ae35);
  return (hash ^ (hash >>> 16)) >>> 0;
}

/** Whether `self` is one of the `watchers` nodes of `nodes` (self counted in, the holder left out) that watch `holder`. */
export function watchesHolder(self: string, holder: string, nodes: Iterable<string>, watchers = WATCHERS_PER_HOLDER): boolean {
  if (holder === self) return false;
  const mine = score(holder, self);
  let ahead = 0;
  for (const node of new Set(nodes)) {
    if (node === self || node === holder) continue;
    const theirs = score(holder, node);
    if (theirs > mine || (theirs === mine && node < self)) ahead++;
    if (ahead >= watchers) return false;
  }
  return true;
}

/** Which holders this node watches, each decided once for as long as the list of live nodes stays the same. */
export class WatchedHolders {
  private self: string | undefined;
  private readonly decided = new Map<string, boolean>();
  private among = '';

  /** This node's name, once its own record was read. */
  setSelf(name: string): void {
    this.self = name;
  }

  /** Whether `name` is this node's own (known once its own record was read). */
  isSelf(name: string): boolean {
    return name === this.self;
  }

  /** Whether to read `holder`'s heartbeat at each sweep; every holder's, until this node knows itself and the others. */
  watches(holder: string, liveNodes: readonly string[]): boolean {
    // a mark under this node's own name is a killed predecessor's: this node watches it too, as before
    if (!this.self || liveNodes.length === 0 || holder === this.self) return true;
    const among = liveNodes.join('\0');
    if (among !== this.among) {
      this.decided.clear();
      this.among = among;
    }
    let watching = this.decided.get(holder);
    if (watching === undefined) this.decided.set(holder, (watching = watchesHolder(this.self, holder, liveNodes)));
    return watching;
  }
}
