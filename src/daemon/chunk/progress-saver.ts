// A running chunk's progress: parsed from its hooks' output, shown live in its node's status reply and
// saved in its record in running/ when its node asks (one chunk per period, the one saved longest ago).
// Saves and the end go through one queue: no save after the end (see claim/progress.ts).
import type { FarmContext } from '../../claim/context.js';
import type { HeldLock } from '../../claim/mutex.js';
import { HolderWrites, saveRunning } from '../../claim/progress.js';
import { claimOf } from '../../claim/transitions.js';
import type { ChunkProgressRecord, ChunkRecord, JobRecord } from '../../spool/records.js';

export interface ProgressTracker {
  onLine(line: string): void;
  /** The progress so far, or undefined when nothing was parsed yet. */
  current(): ChunkProgressRecord | undefined;
}

export class ProgressSaver {
  private readonly writes: HolderWrites;
  private lastSavedMs = 0;
  private lastSaved: string | undefined;
  /** The end is being recorded: nothing is saved any more. */
  private closed = false;

  /** `tracker`: the job's progress parser (none for a job whose output says nothing of progress). */
  constructor(private readonly ctx: FarmContext, private readonly job: JobRecord, private readonly record: ChunkRecord,
    private readonly lock: HeldLock, private readonly tracker: ProgressTracker | undefined) {
    this.writes = new HolderWrites((error) => ctx.log(`chunk ${job.id}/${record.id}: progress not saved: ${error.message}`));
  }

  onLine(line: string): void {
    this.tracker?.onLine(line);
  }

  current(): ChunkProgressRecord | undefined {
    return this.tracker?.current();
  }

  /** What the node's status reply says about this chunk right now. */
  live(): { frame?: number; progress?: number } {
    const current = this.current();
    if (!current) return {};
    const frames = this.record.frames.length;
    return { frame: current.frame, progress: frames ? Math.min(1, (current.framesDone ?? 0) / frames) : undefined };
  }

  /** When its progress was last saved (monotonic ms; 0: never): its node saves the oldest first. */
  get savedMs(): number {
    return this.lastSavedMs;
  }

  /** Whether it has progress not saved yet (never for nothing changed). */
  get changed(): boolean {
    if (this.closed) return false;
    const current = this.current();
    return current !== undefined && JSON.stringify(current) !== this.lastSaved;
  }

  /** Saves the progress if it changed since the last save. */
  async save(): Promise<void> {
    const current = this.current();
    if (!current || this.closed) return;
    const serialized = JSON.stringify(current);
    if (serialized === this.lastSaved) return;
    this.lastSavedMs = this.ctx.clock.monotonicMs();
    this.lastSaved = serialized;
    const { job, record } = this;
    await this.writes.save(() => saveRunning(this.ctx, job.id, record.id, claimOf(record), (r) =>
      // the holder's own record, with its process: readers of a claim known by name alone learn it here
      r.token === record.token ? { ...r, holder: record.holder, startedAt: record.startedAt, rev: r.rev + 1, progress: current } : null, this.lock));
  }

  /** Runs `end` after every save already under way, and before none: a late save must not follow the end. */
  endWith<T>(end: () => Promise<T>): Promise<T> {
    this.closed = true;
    return this.writes.end(end);
  }
}
