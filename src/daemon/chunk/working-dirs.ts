// Where a job's hooks run (hooks/workdir.ts), looked up once a second per job rather than once per chunk:
// a stat through the thread pool costs a trivial chunk a tenth of its node's CPU, and its answer rarely changes.
import { hookWorkingDir, type WorkingDir } from '../../hooks/workdir.js';

export interface LookedUpDir {
  dir: WorkingDir;
  /** When the lookup began (monotonic ms). */
  atMs: number;
}

export class WorkingDirs {
  /** Per job: the latest lookup, and when it began. */
  private readonly lookups = new Map<string, { atMs: number; lookup: Promise<LookedUpDir> }>();

  /** `freshMs`: how old a lookup may be when a chunk's hooks start. */
  constructor(private readonly nowMs: () => number, readonly freshMs: number) {}

  /** The job's working folder, from a lookup younger than freshMs (one in flight is shared). */
  get(job: string, submittedFrom: string | undefined, jobDir: string): Promise<LookedUpDir> {
    const now = this.nowMs();
    const known = this.lookups.get(job);
    if (known && !this.stale(known.atMs)) return known.lookup;
    // the jobs of lookups gone stale are forgotten: this node may have moved on from them for good
    for (const [other, { atMs }] of this.lookups) if (this.stale(atMs)) this.lookups.delete(other);
    const lookup = hookWorkingDir(submittedFrom, jobDir).then((dir) => ({ dir, atMs: now }));
    this.lookups.set(job, { atMs: now, lookup });
    return lookup;
  }

  /** Whether a lookup made at `atMs` is too old for a start now. */
  stale(atMs: number): boolean {
    return this.nowMs() - atMs > this.freshMs;
  }
}
