// A node's side of paths per machine: the spool's roots.json read for each chunk that needs it
// (it is small, and an edit takes effect at the next chunk), turned into the hook variables.
import type { JobRecord } from '../spool/records.js';
import { mappedPathEnv } from './mapping.js';
import { readProjectRoots } from './roots.js';

export async function nodePaths(spoolDir: string, node: string, job: JobRecord): Promise<Record<string, string>> {
  const roots = await readProjectRoots(spoolDir);
  return roots.length ? mappedPathEnv(job, roots, node) : {};
}
