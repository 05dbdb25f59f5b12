// Crash debris leaves the spool after a grace period: a submission's staging folder in tmp/ (the
// submitter died before its rename), a removed job's folder in trash/ (the remover died before its
// rm), and quarantined files once nobody looked at them for a month. Every node sweeps now and then;
// two sweeping at once remove the same entries, which is harmless.
import fs from 'node:fs/promises';
import path from 'node:path';
import { listNames } from './atomic.js';
import type { SpoolLayout } from './layout.js';

export const DEBRIS_GRACE_MS = {
  tmp: 24 * 3_600_000,
  trash: 3_600_000,
  quarantine: 30 * 86_400_000,
} as const;

export async function sweepDebris(layout: SpoolLayout, nowMs: number, log: (line: string) => void, grace = DEBRIS_GRACE_MS): Promise<number> {
  let removed = 0;
  for (const [folder, dir] of [['tmp', layout.tmp], ['trash', layout.trash], ['quarantine', layout.quarantine]] as const) {
    // a link planted in place of the folder would make this sweep remove files outside the spool
    const own = await fs.lstat(dir).catch(() => null);
    if (!own) continue;
    if (!own.isDirectory()) {
      log(`debris: ${folder}/ is ${own.isSymbolicLink() ? 'a symbolic link' : 'not a folder'}: not swept (spool sweeps never follow links)`);
      continue;
    }
    let here = 0;
    for (const name of await listNames(dir)) {
      const entry = path.join(dir, name);
      const stat = await fs.lstat(entry).catch(() => null);
      if (!stat || nowMs - stat.mtimeMs < grace[folder]) continue;
      await fs.rm(entry, { recursive: true, force: true }).then(() => { here++; }, (error) => log(`debris: cannot remove ${path.relative(layout.root, entry)}: ${(error as Error).message}`));
    }
    if (here) log(`debris: removed ${here} entr${here === 1 ? 'y' : 'ies'} from ${folder}/ older than ${Math.round(grace[folder] / 3_600_000)}h`);
    removed += here;
  }
  return removed;
}
