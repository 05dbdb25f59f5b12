// Hooks inherit niceness and IO priority from the thread that forks them (Linux keeps both per thread),
// so they are set once on the main thread instead of exec'ing nice and ionice for every hook. The libuv
// threads doing renderd's own file I/O keep their priority.
import fs from 'node:fs';
import os from 'node:os';
import { execFileSync } from 'node:child_process';

const IONICE = ['/usr/bin/ionice', '/bin/ionice'].find((p) => fs.existsSync(p));
let applied: string | undefined;

/**
 * The ionice command that makes what it runs yield the disk like a niced render: lowest best-effort IO,
 * or idle-only IO in background mode; empty when nothing needs setting (or there is no ionice). `tail`
 * ends it: `-p PID` to set a running thread, or `-t` to exec a command even where it cannot be set.
 */
export function ioniceArgv(nice: number, ioIdle: boolean, tail: string[]): string[] {
  if (!IONICE || (!ioIdle && nice <= 0)) return [];
  return [IONICE, '-c', ioIdle ? '3' : '2', ...(ioIdle ? [] : ['-n', '7']), ...tail];
}

/** Hooks spawned after this run at niceness `nice` (never lowered) and yield the disk like it. */
export function applyHookPriority(nice: number, ioIdle = false): void {
  const wanted = `${nice}/${ioIdle}`;
  if (applied === wanted) return;
  applied = wanted;
  try {
    if (os.getPriority() < nice) os.setPriority(nice);
  } catch { /* not permitted here: hooks run at renderd's own niceness */ }
  // -p of the main thread's id (= the pid) sets that thread only, the one that forks hooks
  const [ionice, ...args] = ioniceArgv(nice, ioIdle, ['-p', String(process.pid)]);
  if (!ionice) return;
  try {
    execFileSync(ionice, args, { stdio: 'ignore' });
  } catch { /* ionice refused (no permission, no IO scheduler): hooks keep renderd's IO priority */ }
}
