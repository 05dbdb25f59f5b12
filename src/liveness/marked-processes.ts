// A node's hooks carry its guard mark with its lease key, RENDERD_GUARD=<mark>.<lease> (lease.ts), and so
// does everything they start. On this kernel a holder's lease key is its instance: its hooks are found in
// /proc by that alone, without knowing the random mark of the launcher that started them.
import fs from 'node:fs';
import { GUARD_MARK_VAR } from './lease.js';

/** Whether a process on this kernel still carries a guard mark of lease `key` (one we may read). */
export function markedProcessRunning(key: string, proc = '/proc'): boolean {
  const name = `${GUARD_MARK_VAR}=`;
  const suffix = `.${key}`;
  let pids: string[];
  try {
    pids = fs.readdirSync(proc);
  } catch {
    return false; // no /proc to look in: the pid's word stands
  }
  for (const pid of pids) {
    if (!/^\d+$/.test(pid)) continue;
    let environ: string;
    try {
      environ = fs.readFileSync(`${proc}/${pid}/environ`, 'latin1');
    } catch {
      continue; // gone meanwhile, or another user's: not ours to find
    }
    for (const entry of environ.split('\0')) if (entry.startsWith(name) && entry.endsWith(suffix)) return true;
  }
  return false;
}
