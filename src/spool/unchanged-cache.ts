// What a node reads for every chunk (a job's hook listing, the spool's roots.json) read again only when
// it changed: one stat per chunk instead of an open, a read and a close. A change is a new inode, mtime,
// ctime or size. A stat cannot tell two changes within one tick of the filesystem's clock apart, so,
// as git does with its index, a reading is kept only once what it read was older than SETTLE_MS (by
// this machine's clock). A filer's attribute cache may hide a change from a stat for a while (NFS:
// acdirmax, up to 60 s), so a reading is also read again once it is REFRESH_MS old, as it was at each use.
import fsSync, { type BigIntStats } from 'node:fs';
import { systemClock, type Clock } from '../clock.js';
import { isMissing } from './atomic.js';

/** Longer than the coarsest timestamp tick met (1 s on some NFS servers) with room to spare. */
export const SETTLE_MS = 2000;

/** A change a stat does not show yet is seen this late at most: a second of short chunks reads it once. */
export const REFRESH_MS = 1000;

/** A node runs many jobs over its life: the readings of the least recently read go first. */
const MAX_READINGS = 256;

/** One thing read through the cache: its stat and what `read` made of it, or that it was missing. */
interface Reading<T> {
  key: string;
  value: T;
  /** When it was read (monotonic ms). */
  readAtMs: number;
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

/** Wall time, to judge whether what was read had settled; monotonic time, for the age of a reading. */
type CacheClock = Pick<Clock, 'wallMs' | 'monotonicMs'>;

/**
 * Readings by path, each read again when its stat changed. `read` gets the stat it is judged by
 * (undefined: missing) and must not depend on anything but the path's content.
 */
export class UnchangedCache<T> {
  private readonly readings = new Map<string, Reading<T>>();

  constructor(private readonly read: (file: string, stat: BigIntStats | undefined) => T, private readonly clock: CacheClock = systemClock) {}

  get(file: string): T {
    const stat = statIfThere(file);
    const key = keyOf(stat);
    const kept = this.readings.get(file);
    this.readings.delete(file); // set again below: the Map's order is then the order of use
    const nowMs = this.clock.monotonicMs();
    if (kept && kept.key === key && nowMs - kept.readAtMs < REFRESH_MS) {
      this.readings.set(file, kept);
      return kept.value;
    }
    const value = this.read(file, stat);
    // kept only when settled, and only if the path did not change while it was read
    if (settled(stat, this.clock.wallMs()) && keyOf(statIfThere(file)) === key) this.keep(file, { key, value, readAtMs: nowMs });
    return value;
  }

  private keep(file: string, reading: Reading<T>): void {
    this.readings.set(file, reading);
    if (this.readings.size > MAX_READINGS) this.readings.delete(this.readings.keys().next().value!);
  }
}
