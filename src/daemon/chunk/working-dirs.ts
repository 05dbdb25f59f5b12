// Where a job's hooks run (hooks/workdir.ts), looked up once a second per job rather than once per chunk:
// a stat through the thread pool costs a trivial chunk a tenth of its node's CPU, and its answer rarely changes.
import { hookWorkingDir, type WorkingDir } from '../../hooks/workdir.js';

export interface LookedUpDir {
  dir: WorkingDir;
  /** When the lookup began (monotonic ms). */
  atMs: number;
}

export class WorkingDirs {
  private readonly known = new Map<string, Promise<LookedUpDir>>();
  private readonly began = new Map<string, number>();

  /** `freshMs`: how old a lookup may be when a chunk's hooks start. */
  constructor(private readonly nowMs: () => number, readonly freshMs: number) {}

  /** The job's working folder, from a lookup younger than freshMs (one in flight is shared). */
  get(job: string, submittedFrom: string | undefined, jobDir: string): Promise<LookedUpDir> {
    const now = this.nowMs();
    const began = this.began.get(job);
    if (began !== undefined && now - began <= this.freshMs) return this.known.get(job)!;
    for (const [other, at] of this.began) if (now - at > this.freshMs) { this.began.delete(other); this.known.delete(other); }
    const lookup = hookWorkingDir(submittedFrom, jobDir).then((dir) => ({ dir, atMs: now }));
    this.known.set(job, lookup);
    this.began.set(job, now);
    return lookup;
  }

  /** Whether a lookup made at `atMs` is too old for a start now. */
  stale(atMs: number): boolean {
    return this.nowMs() - atMs > this.freshMs;
  }
}
