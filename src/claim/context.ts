// What the claim protocol needs from its surroundings, wired once per process.
import type { SpoolLayout } from '../spool/layout.js';
import type { Log } from '../spool/quarantine.js';
import type { Clock } from '../liveness/clock.js';
import type { LockManager } from './mutex.js';

export interface FarmContext {
  layout: SpoolLayout;
  locks: LockManager;
  clock: Clock;
  log: Log;
}
