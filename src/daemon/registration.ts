// Registering a node under its name: one live instance per name, and the record it heartbeats.
import { FarmError } from '../errors.js';
import type { Clock } from '../claim/clock.js';
import { sleep } from '../claim/clock.js';
import { HEARTBEAT_MS } from '../claim/liveness.js';
import { localProcessState, type ProcessIdentity } from '../nodes/host.js';
import { readNodeRecords } from '../nodes/registry.js';
import type { SpoolLayout } from '../spool/layout.js';
import type { Log } from '../spool/quarantine.js';

/**
 * Refuses to start under a name a live renderd holds. On this kernel its pid says so at once; elsewhere,
 * its heartbeat changing within a few beats of our own clock does.
 */
export async function checkNameFree(layout: SpoolLayout, name: string, self: ProcessIdentity, clock: Clock, log: Log): Promise<void> {
  const first = (await readNodeRecords(layout, log)).get(name);
  if (!first) return;
  const local = localProcessState(self, first);
  if (local === 'alive') throw new FarmError('ENODEINUSE', `node name '${name}' is in use by renderd pid ${first.pid} on this host (pick another --node)`);
  if (local === 'dead') return;
  const deadline = clock.monotonicMs() + 2.5 * HEARTBEAT_MS;
  while (clock.monotonicMs() < deadline) {
    await sleep(250);
    const now = (await readNodeRecords(layout, log)).get(name);
    if (!now || now.instance !== first.instance) return;
    if (now.beat !== first.beat) throw new FarmError('ENODEINUSE', `node name '${name}' is in use by renderd pid ${now.pid} on ${now.host} (pick another --node)`);
  }
}
