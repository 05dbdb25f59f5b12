// A row of the jobs table, on its own so the table (jobs.ts) and its orders (sort.ts) both use it
// without importing each other.
import type { JobState } from '../../jobs/state.js';

export interface JobRow {
  id: string;
  name: string;
  owner: string;
  state: JobState;
  priority: number;
  /** The job's own flag (its state says `paused` only while it has work left). */
  paused: boolean;
  pool?: string;
  done: number;
  total: number;
  running: number;
  failed: number;
  /** Share of chunks done, 0..1. */
  fraction: number;
  elapsedMs?: number;
  etaMs?: number;
  /** Why it is broken, or failed without running its chunks. */
  reason?: string;
  /** Jobs submitted together (`--each-view-layer`, a tiled still and its merge): shown one under the other. */
  group?: string;
  /** Set on a group's rows after its first: drawn indented under it. */
  underGroup?: boolean;
}
