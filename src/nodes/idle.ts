// Is somebody using this machine? The time since the last input on any terminal (what `w` reports:
// the access time of /dev/tty* and /dev/pts/*), and the load average.
import fs from 'node:fs/promises';
import path from 'node:path';

/** Milliseconds since the most recent terminal input on this machine (Infinity when none is known). */
export async function msSinceLastInput(nowMs: number): Promise<number> {
  let latest = 0;
  for (const dir of ['/dev', '/dev/pts']) {
    let names: string[] = [];
    try { names = await fs.readdir(dir); } catch { continue; }
    for (const name of names) {
      if (dir === '/dev' && !/^tty\d*$/.test(name)) continue;
      if (dir === '/dev/pts' && !/^\d+$/.test(name)) continue;
      try {
        const stat = await fs.stat(path.join(dir, name));
        latest = Math.max(latest, stat.atimeMs);
      } catch { /* the terminal closed meanwhile */ }
    }
  }
  return latest === 0 ? Infinity : Math.max(0, nowMs - latest);
}

export interface IdlePolicy {
  /** No input for this long counts as nobody at the machine. */
  inputIdleMs: number;
  /** Load average (1 min) above this counts as the machine being used. */
  maxLoad?: number;
}

/** Pure: idle when there was no input for long enough and the load is low enough. */
export function isMachineIdle(policy: IdlePolicy, sinceInputMs: number, load1: number, ownLoad: number): boolean {
  if (sinceInputMs < policy.inputIdleMs) return false;
  // our own renders raise the load: count only what is left once they are taken away
  return policy.maxLoad === undefined || load1 - ownLoad <= policy.maxLoad;
}
