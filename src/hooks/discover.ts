// Finding a job's hook scripts: `pre-*`, `render-*`, `post-*`, `error-*`, `end-*`, lexical order per stage.
import fs from 'node:fs/promises';
import fsSync, { constants } from 'node:fs';
import path from 'node:path';
import { UsageError } from '../errors.js';
import { isMissing } from '../spool/atomic.js';
import { UnchangedCache } from '../spool/unchanged-cache.js';

export const STAGES = ['pre', 'render', 'post', 'error', 'end'] as const;
export type Stage = (typeof STAGES)[number];

export interface HookScript {
  stage: Stage;
  name: string;
  path: string;
}

/** Which stage a file name belongs to, if any (`post-check2` → post; `README.md` → none). */
export function stageOf(name: string): Stage | null {
  const match = /^(pre|render|post|error|end)-[^/]+$/.exec(name);
  if (!match || name.endsWith('~') || name.startsWith('.')) return null;
  return match[1] as Stage;
}

/** A hook folder's names, sorted; none when it is missing. */
function listNames(dir: string): string[] {
  try {
    // a few names: at once, not as a thread-pool round trip on the chunk's critical path
    return fsSync.readdirSync(dir).sort();
  } catch (error) {
    if (!isMissing(error)) throw error;
    return [];
  }
}

/** Listed again when the folder changed (a hook added, removed or renamed); an edited hook is run as it is now. */
const listings = new UnchangedCache<string[]>((dir) => listNames(dir));

/** The hooks in `dir`, grouped by stage, each stage sorted lexically. */
export async function discoverHooks(dir: string): Promise<Record<Stage, HookScript[]>> {
  const byStage = Object.fromEntries(STAGES.map((stage) => [stage, [] as HookScript[]])) as Record<Stage, HookScript[]>;
  for (const name of listings.get(dir)) {
    const stage = stageOf(name);
    if (stage) byStage[stage].push({ stage, name, path: path.join(dir, name) });
  }
  return byStage;
}

/** Checks a user's hook folder before anything is queued: every hook must be an executable file. */
export async function validateHookDir(dir: string): Promise<void> {
  let stat;
  try {
    stat = await fs.stat(dir);
  } catch {
    throw new UsageError(`hook folder ${dir} does not exist`);
  }
  if (!stat.isDirectory()) throw new UsageError(`hook folder ${dir} is not a directory`);
  const hooks = await discoverHooks(dir);
  for (const hook of STAGES.flatMap((stage) => hooks[stage])) {
    let hookStat;
    try {
      hookStat = await fs.stat(hook.path);
    } catch {
      throw new UsageError(`hook ${hook.path} is a broken link`);
    }
    if (!hookStat.isFile()) throw new UsageError(`hook ${hook.path} is not a regular file`);
    try {
      await fs.access(hook.path, constants.X_OK);
    } catch {
      throw new UsageError(`hook ${hook.path} is not executable (chmod +x it)`);
    }
  }
}

/** Copies the hook folder into the job, so editing a project's hooks later does not change a queued job. */
export async function snapshotHooks(from: string, to: string): Promise<void> {
  await fs.cp(from, to, { recursive: true, dereference: true, preserveTimestamps: true });
}
