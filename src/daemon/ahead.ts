// Claiming ahead: while every slot runs a short chunk, a node claims its next chunk meanwhile, so the
// claim's few milliseconds hide behind a hook instead of adding to every chunk. Only behind short chunks:
// a claimed chunk waits for a slot, and a chunk should never wait long where another node could run it.
// (Not raised for warm Blender chunks: a chunk claimed ahead and given back leaves an attempt in its
// history, which reports count; that must change first.)

/** Jobs remembered; the oldest is forgotten first (a node meets few jobs at a time). */
const JOBS_REMEMBERED = 64;

export class ChunkDurations {
  private readonly lastMs = new Map<string, number>();

  /** `shortChunkMs`: a job whose last chunk here took under this long is short (cadence.ts). */
  constructor(private readonly shortChunkMs: number) {}

  /** How long the job's last chunk here took, from the start of its hooks to its recorded end. */
  record(job: string, ms: number): void {
    this.lastMs.delete(job);
    this.lastMs.set(job, ms);
    if (this.lastMs.size > JOBS_REMEMBERED) this.lastMs.delete(this.lastMs.keys().next().value!);
  }

  /** The job's chunks failed or stopped here: unknown again, so nothing is claimed behind them. */
  forget(job: string): void {
    this.lastMs.delete(job);
  }

  /** Whether a chunk claimed now would wait only briefly: every slot runs a chunk of a job known short. */
  mayClaimAhead(runningJobs: string[]): boolean {
    return runningJobs.length > 0 && runningJobs.every((job) => (this.lastMs.get(job) ?? Infinity) < this.shortChunkMs);
  }
}
