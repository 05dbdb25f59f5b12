// A node's side of paths per machine: the spool's roots.json looked at for each chunk (an edit takes
// effect at the next chunk) and read again only when it changed, turned into the hook variables.
import fsSync from 'node:fs';
import path from 'node:path';
import { isMissing } from '../spool/atomic.js';
import type { JobRecord } from '../spool/records.js';
import { UnchangedCache } from '../spool/unchanged-cache.js';
import { mappedPathEnv } from './mapping.js';
import { parseProjectRoots, ROOTS_FILE, type ProjectRoot } from './roots.js';

/** A missing roots.json is an empty table; a broken one is not kept, so every chunk says so. */
const tables = new UnchangedCache<ProjectRoot[]>((file, stat) => {
  if (!stat) return [];
  try {
    return parseProjectRoots(fsSync.readFileSync(file, 'utf8'), file);
  } catch (error) {
    if (isMissing(error)) return []; // removed since its stat: not kept, the stat after differs
    throw error;
  }
});

export async function nodePaths(spoolDir: string, node: string, job: JobRecord): Promise<Record<string, string>> {
  const roots = tables.get(path.join(spoolDir, ROOTS_FILE));
  return roots.length ? mappedPathEnv(job, roots, node) : {};
}
