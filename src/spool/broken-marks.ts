// Jobs a node cannot read (an unreadable folder, a job.json that is a directory, a lock that stays busy):
// each node that meets one leaves `broken/<job>~<node>` with the reason, so `render list`, `show` and the
// ui can say why the job does not run even when the user asking can read it. Removed once it reads again.
import fs from 'node:fs/promises';
import path from 'node:path';
import { isMissing, listNames, readInfoFile, writeFileAtomic } from './atomic.js';
import type { SpoolLayout } from './layout.js';

/** A reason is one line; a marker is never bigger than this. */
const MAX_REASON = 500;

function brokenDir(layout: SpoolLayout): string {
  return path.join(layout.root, 'broken');
}

export async function markBroken(layout: SpoolLayout, job: string, node: string, reason: string): Promise<void> {
  await fs.mkdir(brokenDir(layout), { recursive: true });
  await writeFileAtomic(path.join(brokenDir(layout), `${job}~${node}`), reason.slice(0, MAX_REASON) + '\n');
}

export async function clearBroken(layout: SpoolLayout, job: string, node: string): Promise<void> {
  await fs.rm(path.join(brokenDir(layout), `${job}~${node}`), { force: true });
}

/** What the nodes said about jobs they could not read: job → "node: reason" lines. */
export async function readBrokenMarks(layout: SpoolLayout): Promise<Map<string, string[]>> {
  const byJob = new Map<string, string[]>();
  for (const name of await listNames(brokenDir(layout))) {
    const [job, node] = name.split('~');
    if (!job || !node || name.startsWith('.')) continue;
    let reason: string;
    try {
      reason = (await readInfoFile(path.join(brokenDir(layout), name), MAX_REASON + 1)).trim();
    } catch (error) {
      if (isMissing(error)) continue;
      reason = 'unreadable marker';
    }
    byJob.set(job, [...(byJob.get(job) ?? []), `node ${node}: ${reason}`]);
  }
  return byJob;
}

/** Markers of jobs that are gone (removed, cleaned): `render clean` and the housekeeping drop them. */
export async function dropBrokenMarks(layout: SpoolLayout, job: string): Promise<void> {
  for (const name of await listNames(brokenDir(layout))) {
    if (name.split('~')[0] === job) await fs.rm(path.join(brokenDir(layout), name), { force: true });
  }
}
