// Registering a node under its name: one live instance per name (nodes/name-claim.ts). The newcomer takes
// the name atomically, or refuses to start while its owner lives; a running node reads the claim back at
// every heartbeat and stops claiming the moment it finds the name taken.
import { FarmError } from '../errors.js';
import type { Clock } from '../liveness/clock.js';
import { sleep } from '../liveness/clock.js';
import { HEARTBEAT_MS, NODE_SILENT_MS } from '../liveness/budget.js';
import { localProcessState, type ProcessIdentity } from '../nodes/host.js';
import { breakName, readNameOwner, releaseName, tryTakeName, type NameOwner } from '../nodes/name-claim.js';
import { readNodeRecords } from '../nodes/registry.js';
import type { SpoolLayout } from '../spool/layout.js';
import type { Log } from '../spool/quarantine.js';


export interface NameTaken {
  /** The previous owner's instance, when it was proven dead (its pid on this kernel, or its silent heartbeat). */
  provenDead?: string;
}

function inUse(name: string, owner: NameOwner, where: string): FarmError {
  return new FarmError('ENODEINUSE', `node name '${name}' is in use by renderd pid ${owner.pid} on ${owner.host}${where}: refusing to start a second instance (pick another --node)`);
}

/**
 * Takes `name` for `instance`, or throws ENODEINUSE naming the live owner's host and pid. A previous owner
 * on another kernel is dead only once its heartbeat stayed unchanged for the whole window of our clock,
 * looked at every `pollMs` (cadence.ts).
 */
export async function claimNodeName(layout: SpoolLayout, name: string, self: ProcessIdentity, instance: string, clock: Clock, log: Log, pollMs: number, windowMs = NODE_SILENT_MS): Promise<NameTaken> {
  let provenDead: string | undefined;
  let watched: { instance: string; heartbeat: string; since: number; said: boolean } | undefined;
  for (;;) {
    if (tryTakeName(layout, name, { ...self, instance })) return { provenDead };
    const owner = readNameOwner(layout, name);
    if (!owner) {
      breakName(layout, name, ''); // a claim without an owner is debris: nobody's
      continue;
    }
    const local = localProcessState(self, owner);
    if (local === 'alive') throw inUse(name, owner, ' (this host)');
    const record = (await readNodeRecords(layout, log)).get(name);
    const heartbeat = record?.instance === owner.instance ? `beat ${record.beat}` : 'not seen';
    const now = clock.monotonicMs();
    if (watched?.instance !== owner.instance) {
      watched = { instance: owner.instance, heartbeat, since: now, said: false };
    } else if (watched.heartbeat !== heartbeat && heartbeat !== 'not seen') {
      // its heartbeat moved on our clock: alive, on another kernel or in another pid namespace
      throw inUse(name, owner, '');
    }
    const quietMs = now - watched.since;
    if (local === 'unknown' && !watched.said && quietMs >= 2 * HEARTBEAT_MS) {
      // a live owner would have beaten by now: say why the start waits (a clash says its one line at once)
      watched.said = true;
      log(`node name '${name}' is held by renderd pid ${owner.pid} on ${owner.host}, whose heartbeat has not moved: taking the name over after ${windowMs / 1000} s of silence`);
    }
    if (local === 'dead' || quietMs >= windowMs) {
      if (breakName(layout, name, owner.instance)) {
        provenDead = owner.instance;
        log(`node name '${name}': its previous instance (pid ${owner.pid} on ${owner.host}) is dead; taking the name over`);
      }
      continue;
    }
    await sleep(pollMs);
  }
}

/** Between two heartbeats that come on time, the claim is read back at every this many. */
const NAME_READ_EVERY = 5;

/**
 * Reads the name's claim back at heartbeats. Lost when another instance holds it; a claim missing at one
 * read may be a lookup hiccup (NFS, GlusterFS), so missing counts only at two reads in a row. Another
 * instance takes the name only after our heartbeat stood still for its whole window: every heartbeat that
 * comes late (a stall, a hung write) reads the claim; beats on time read it every NAME_READ_EVERY-th
 * (an idle node's cost: issue 17).
 */
export class NameHold {
  private missing = 0;
  private lastCheckMs = -Infinity;
  private onTime = 0;

  constructor(private readonly layout: SpoolLayout, private readonly name: string, private readonly instance: string) {}

  /** `true` while ours; else who holds it now, for the log line. */
  check(nowMs: number): true | string {
    const late = nowMs - this.lastCheckMs > HEARTBEAT_MS + 1000;
    this.lastCheckMs = nowMs;
    if (!late && this.missing === 0 && ++this.onTime < NAME_READ_EVERY) return true;
    this.onTime = 0;
    const owner = readNameOwner(this.layout, this.name);
    if (owner?.instance === this.instance) {
      this.missing = 0;
      return true;
    }
    if (owner) return `renderd pid ${owner.pid} on ${owner.host}`;
    return ++this.missing >= 2 ? `nobody (its claim in nodes/.names/ is gone)` : true;
  }
}

export function releaseNodeName(layout: SpoolLayout, name: string, instance: string): void {
  releaseName(layout, name, instance);
}
