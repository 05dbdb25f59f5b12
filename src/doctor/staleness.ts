// How stale a listing another node sees can be: a probe file appears in the spool's tmp/ (by rename,
// as every state change does) and each live node is asked, again and again, whether its own listing
// shows it yet.
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { performance } from 'node:perf_hooks';
import type { PeerAddress } from '../peers/index.js';
import { sleep } from '../liveness/clock.js';
import { ok, warn, type Check } from './check.js';
import { ask, type Asker } from './nodes.js';

/** Long enough for NFS's default directory cache (30–60 s would be reported as "over"). */
export const PROBE_LIMIT_MS = 30_000;
const ASK_EVERY_MS = 100;
/** Seen later than this, other nodes notice new jobs and moved chunks late. */
export const STALE_OK_MS = 3000;

export interface Peer { name: string; instance: string; address: PeerAddress }

/**
 * Node name → ms until its listing showed a new name (the worse of two probes), or undefined if it
 * never did within the limit. The first probe is a file made by rename (as state changes are), the
 * second a folder made by mkdir (as locks are); the second appears right after the node's listing
 * showed the first, so its cache has just been filled: that one sees the cache's full lifetime.
 */
export async function measureListingDelay(asker: Asker, tmpDir: string, peers: readonly Peer[], limitMs = PROBE_LIMIT_MS): Promise<Map<string, number | undefined>> {
  const delays = new Map<string, number | undefined>();
  await Promise.all(peers.map(async (peer) => {
    let worst: number | undefined = 0;
    for (let round = 0; round < 2 && worst !== undefined; round++) {
      const delay = await probeOnce(asker, tmpDir, peer, round === 0 ? 'rename' : 'mkdir', limitMs);
      worst = delay === undefined ? undefined : Math.max(worst, delay);
    }
    delays.set(peer.name, worst);
  }));
  return delays;
}

async function probeOnce(asker: Asker, tmpDir: string, peer: Peer, how: 'rename' | 'mkdir', limitMs: number): Promise<number | undefined> {
  const name = `doctor-probe-${randomBytes(6).toString('hex')}`;
  const file = path.join(tmpDir, name);
  const probe = { type: 'doctor-request' as const, body: { probe: name } };
  try {
    if (how === 'rename') {
      await fs.writeFile(`${file}.tmp`, '');
      // the node lists tmp/ before the probe exists: that listing is what a cache keeps
      await ask(asker, { node: peer.name, instance: peer.instance }, peer.address, probe, 3000);
      await fs.rename(`${file}.tmp`, file);
    } else {
      await fs.mkdir(file);
    }
    const start = performance.now();
    while (performance.now() - start < limitMs) {
      const answer = await ask(asker, { node: peer.name, instance: peer.instance }, peer.address, probe, 3000);
      if (answer.result.ok && answer.result.reply.type === 'doctor-reply' && answer.result.reply.body.probeSeen) return performance.now() - start;
      await sleep(ASK_EVERY_MS);
    }
    return undefined;
  } finally {
    await fs.rm(file, { force: true, recursive: true });
    await fs.rm(`${file}.tmp`, { force: true });
  }
}

export function stalenessVerdict(delays: ReadonlyMap<string, number | undefined>, limitMs = PROBE_LIMIT_MS): Check {
  const id = 'spool.listing';
  if (delays.size === 0) return ok(id, 'not measured: no live node answered', 'start nodes, then run render doctor again to measure how late they see changes');
  const shown = [...delays].map(([node, ms]) => `${node} ${ms === undefined ? `over ${limitMs / 1000} s` : `${(ms / 1000).toFixed(1)} s`}`).join(', ');
  const worst = Math.max(...[...delays.values()].map((ms) => ms ?? Infinity));
  const found = `a new name (renamed file, then new folder) showed in other nodes' listings after: ${shown}`;
  if (worst <= STALE_OK_MS) return ok(id, found);
  return warn(id, found, 'those nodes see new jobs and other nodes\' chunk moves late (claims stay safe, the farm is slower): lower the attribute cache of the spool\'s mount there (NFS: actimeo=1,lookupcache=positive; sshfs: -o cache=no)');
}
