// The chunks this node runs, by `job/chunk`, and which of them hold one of its slots. A chunk whose end is
// being recorded stays listed (it still runs, on the spool) but frees its slot; so does one claimed ahead
// until it is granted one.
import type { RunningChunk } from './chunk/chunk-run.js';

export class SlotTable {
  private readonly running = new Map<string, RunningChunk>();

  constructor(readonly slots: number) {}

  static keyOf(chunk: RunningChunk): string {
    return `${chunk.job.id}/${chunk.record.id}`;
  }

  add(chunk: RunningChunk): void {
    this.running.set(SlotTable.keyOf(chunk), chunk);
  }

  delete(chunk: RunningChunk): void {
    this.running.delete(SlotTable.keyOf(chunk));
  }

  get size(): number {
    return this.running.size;
  }

  values(): IterableIterator<RunningChunk> {
    return this.running.values();
  }

  get(job: string, chunk: string): RunningChunk | undefined {
    return this.running.get(`${job}/${chunk}`);
  }

  /** The jobs of the chunks holding a slot (a job once per chunk). */
  slotJobs(): string[] {
    const jobs: string[] = [];
    for (const chunk of this.running.values()) if (chunk.holdsSlot) jobs.push(chunk.job.id);
    return jobs;
  }

  /** Whether a slot is free now. */
  get hasFreeSlot(): boolean {
    return this.slotJobs().length < this.slots;
  }

  /** The chunk claimed ahead that waits for a slot, if any. */
  waiting(): RunningChunk | undefined {
    return [...this.running.values()].find((chunk) => chunk.waitsForSlot);
  }

  /** The jobs of every chunk here, slot or not. */
  jobIds(): Set<string> {
    return new Set([...this.running.values()].map((chunk) => chunk.job.id));
  }

  /** Stops the chunks of `job` (one chunk, one token when given); how many. */
  stopMatching(job: string, chunk: string | undefined, token: string | undefined, reason: string): number {
    let stopped = 0;
    for (const running of this.running.values()) {
      if (running.job.id !== job || (chunk && running.record.id !== chunk) || (token && running.token !== token)) continue;
      running.stop(reason);
      stopped++;
    }
    return stopped;
  }

  stopAll(reason: string): void {
    for (const chunk of this.running.values()) chunk.stop(reason);
  }

  /** The chunk with unsaved progress saved longest ago: one save a period, whatever the slots. */
  stalestProgress(): RunningChunk | undefined {
    let oldest: RunningChunk | undefined;
    for (const chunk of this.running.values()) {
      if (chunk.progress.changed && (!oldest || chunk.progress.savedMs < oldest.progress.savedMs)) oldest = chunk;
    }
    return oldest;
  }
}
