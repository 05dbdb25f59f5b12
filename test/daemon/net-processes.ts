// Processes as the root pid namespace sees them, for the tests' "is the hook gone?" checks: every host's
// processes are visible here with their root-namespace pids and process groups.
import fs from 'node:fs';
import { waitUntil } from '../support/wait.js';

/** A zombie (killed, not yet reaped) is dead too. */
export function isAlive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

export interface ProcessEntry {
  pid: number;
  pgrp: number;
  pidns: string;
  cmdline: string;
}

/** Processes that are running (zombies are dead: renderd as pid 1 does not reap its orphans). */
export function liveProcesses(): ProcessEntry[] {
  const entries: ProcessEntry[] = [];
  for (const name of fs.readdirSync('/proc')) {
    if (!/^\d+$/.test(name)) continue;
    try {
      const stat = fs.readFileSync(`/proc/${name}/stat`, 'utf8');
      const fields = stat.slice(stat.lastIndexOf(')') + 2).split(' ');
      if (fields[0] === 'Z' || fields[0] === 'X') continue;
      entries.push({
        pid: Number(name),
        pgrp: Number(fields[2]),
        pidns: fs.readlinkSync(`/proc/${name}/ns/pid`),
        cmdline: fs.readFileSync(`/proc/${name}/cmdline`, 'utf8').replace(/\0/g, ' ').trim(),
      });
    } catch {
      // exited between readdir and read: not live
    }
  }
  return entries;
}

/** Live processes whose command line contains `marker`. */
export function liveMatching(marker: string): ProcessEntry[] {
  return liveProcesses().filter((p) => p.cmdline.includes(marker) && p.pid !== process.pid);
}

/** Waits until no live process is in any of `groups`; returns how long that took (ms). */
export async function waitGroupsGone(groups: number[], timeoutMs: number): Promise<number> {
  const started = performance.now();
  const wanted = new Set(groups);
  await waitUntil(`process groups ${groups.join(', ')} to be gone`, () => !liveProcesses().some((p) => wanted.has(p.pgrp)), timeoutMs, 10);
  return performance.now() - started;
}
