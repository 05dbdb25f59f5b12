// Who and where this process is: enough for another process on the same kernel to tell if it is alive.
import fs from 'node:fs';
import os from 'node:os';
import { randomUUID } from 'node:crypto';

export interface ProcessIdentity {
  host: string;
  /** Same boot id and pid namespace means a pid can be checked directly. */
  bootId: string;
  pidns: string;
  pid: number;
  /** Start time of the process in clock ticks since boot, so a reused pid is not mistaken for us. */
  pidStart?: string;
}

function readOr(file: string, fallback: string): string {
  try { return fs.readFileSync(file, 'utf8').trim(); } catch { return fallback; }
}

/** Fields of /proc/PID/stat after the command name (which may contain spaces): [0] state, [19] start time. */
function statFields(pid: number): string[] {
  const stat = readOr(`/proc/${pid}/stat`, '');
  return stat ? stat.slice(stat.lastIndexOf(')') + 2).split(' ') : [];
}

export function processStartTime(pid: number): string | undefined {
  return statFields(pid)[19] || undefined;
}

export function currentIdentity(): ProcessIdentity {
  let pidns = 'unknown';
  try { pidns = fs.readlinkSync('/proc/self/ns/pid'); } catch { /* not Linux: pid checks fall back to heartbeats */ }
  return {
    host: os.hostname(),
    bootId: readOr('/proc/sys/kernel/random/boot_id', `no-boot-id-${os.hostname()}`),
    pidns,
    pid: process.pid,
    pidStart: processStartTime(process.pid),
  };
}

/** Alive, dead, or unknown (another kernel or pid namespace: ask its heartbeat instead). */
export function localProcessState(self: ProcessIdentity, other: ProcessIdentity): 'alive' | 'dead' | 'unknown' {
  if (other.bootId !== self.bootId || other.pidns !== self.pidns || self.pidns === 'unknown') return 'unknown';
  if (other.pid === self.pid) return other.pidStart === self.pidStart ? 'alive' : 'dead';
  try {
    process.kill(other.pid, 0);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM' ? checkStart(other) : 'dead';
  }
  return checkStart(other);
}

function checkStart(other: ProcessIdentity): 'alive' | 'dead' {
  const fields = statFields(other.pid);
  // a SIGKILLed process stays a zombie until its parent reaps it: it is dead all the same
  if (fields[0] === 'Z' || fields[0] === 'X') return 'dead';
  if (!other.pidStart || fields.length === 0) return 'alive';
  return fields[19] === other.pidStart ? 'alive' : 'dead';
}

export function newInstanceId(): string {
  return randomUUID();
}
