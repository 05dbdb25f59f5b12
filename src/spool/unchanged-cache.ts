// What a node reads for every chunk (a job's hook listing, the spool's roots.json) read again only when
// it changed: one stat per chunk instead of an open, a read and a close. A change is a new inode, mtime,
// ctime or size. A stat cannot tell two changes within one tick of the filesystem's clock apart, so,
// as git does with its index, a reading is kept only once what it read was older than SETTLE_MS (by
// this machine's clock): a folder or file changed in the last SETTLE_MS is read again at every use.
import fsSync, { type BigIntStats } from 'node:fs';
import { isMissing } from './atomic.js';

/** Longer than the coarsest timestamp tick met (1 s on some NFS servers) with room to spare. */
export const SETTLE_MS = 2000;

/** A node runs many jobs over its life: the readings of the least recently read go first. */
const MAX_READINGS = 256;

/** One thing read through the cache: its stat and what `read` made of it, or that it was missing. */
interface Reading<T> {
  key: string;
  value: T;
}

/** The stat fields that change when a file is rewritten or a folder's names change ('' when missing). */
function keyOf(stat: BigIntStats | undefined): string {
  return stat ? `${stat.dev}:${stat.ino}:${stat.mtimeNs}:${stat.ctimeNs}:${stat.size}` : '';
}

/** A stat, undefined when the path is not there (any other error is thrown). */
function statIfThere(file: string): BigIntStats | undefined {
  try {
    return fsSync.statSync(file, { bigint: true, throwIfNoEntry: false });
  } catch (error) {
    if (isMissing(error)) return undefined;
    throw error;
  }
}

/** Settled: its last change is at least SETTLE_MS old, so a later change gets another timestamp. */
function settled(stat: BigIntStats | undefined, nowMs: number): boolean {
  if (!stat) return true;
  const changedMs = Number((stat.mtimeNs > stat.ctimeNs ? stat.mtimeNs : stat.ctimeNs) / 1_000_000n);
  return nowMs - changedMs >= SETTLE_MS;
}

/**
 * Readings by path, each read again when its stat changed. `read` gets the stat it is judged by
 * (undefined: missing) and must not depend on anything but the path's content.
 */
export class UnchangedCache<T> {
  private readonly readings = new Map<string, Reading<T>>();

  constructor(private readonly read: (file: string, stat: BigIntStats | undefined) => T, private readonly now = () => Date.now()) {}

  get(file: string): T {
    const stat = statIfThere(file);
    const key = keyOf(stat);
    const kept = this.readings.get(file);
    this.readings.delete(file); // set again below: the Map's order is then the order of use
    if (kept && kept.key === key) {
      this.readings.set(file, kept);
      return kept.value;
    }
    const value = this.read(file, stat);
    // kept only when settled, and only if the path did not change while it was read
    if (settled(stat, this.now()) && keyOf(statIfThere(file)) === key) this.keep(file, { key, value });
    return value;
  }

  private keep(file: string, reading: Reading<T>): void {
    this.readings.set(file, reading);
    if (this.readings.size > MAX_READINGS) this.readings.delete(this.readings.keys().next().value!);
  }
}
