// The dependency check `render add` runs on a .blend before queueing it.
import { findDependencies } from '../blend/deps/index.js';
import { checkDependencies, type DependencyWarning } from './check.js';
import { localRootFolders, readProjectRoots } from './roots.js';

export async function preflightBlend(spoolDir: string, blendFile: string, env: NodeJS.ProcessEnv): Promise<DependencyWarning[]> {
  const roots = localRootFolders(await readProjectRoots(spoolDir), env, env.RENDER_NODE);
  return checkDependencies(blendFile, await findDependencies(blendFile), { spoolDir, roots });
}
