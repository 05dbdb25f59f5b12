// Where a job's hooks run (contract §4): the folder the job was submitted from, as Slurm's sbatch does,
// or the job's folder on the spool when that folder does not exist on this node.
import fs from 'node:fs/promises';

export interface WorkingDir {
  cwd: string;
  /** Why the submission folder was not used, for the chunk's log. */
  fallback?: string;
}

export async function hookWorkingDir(submittedFrom: string | undefined, jobDir: string): Promise<WorkingDir> {
  if (!submittedFrom) return { cwd: jobDir, fallback: 'the job names no submission folder: hooks run in the job\'s folder on the spool' };
  try {
    if ((await fs.stat(submittedFrom)).isDirectory()) return { cwd: submittedFrom };
  } catch { /* missing or unreadable here: said below */ }
  return { cwd: jobDir, fallback: `${submittedFrom} (the folder the job was submitted from) does not exist on this node: hooks run in the job's folder on the spool` };
}
