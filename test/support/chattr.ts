// The immutable flag (chattr +i: even root gets EPERM changing what is in the folder), for faults a test
// injects into a spool: a node's end that cannot be written, a removal that cannot be finished.
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmdirSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';

export function chattr(flag: '+i' | '-i', dir: string): void {
  execFileSync('chattr', [flag, dir], { stdio: 'ignore' });
}

/** Why a folder beside the test spools does not take the immutable flag (not root, or a filesystem without it), or null. */
export function chattrMissing(): string | null {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'renderd-chattr-'));
  try {
    chattr('+i', dir);
    chattr('-i', dir);
    return null;
  } catch {
    return `chattr +i failed in ${os.tmpdir()} (needs root on ext4/xfs/btrfs/tmpfs 6.0+)`;
  } finally {
    rmdirSync(dir);
  }
}
