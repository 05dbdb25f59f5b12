// Where the spool is: --spool, else RENDER_SPOOL, else $XDG_DATA_HOME/renderd/spool.
import path from 'node:path';
import os from 'node:os';

export function resolveSpoolDir(flag: string | undefined, env: NodeJS.ProcessEnv, cwd: string): string {
  if (flag) return path.resolve(cwd, flag);
  if (env.RENDER_SPOOL) return path.resolve(cwd, env.RENDER_SPOOL);
  const dataHome = env.XDG_DATA_HOME || path.join(env.HOME || os.homedir(), '.local', 'share');
  return path.join(dataHome, 'renderd', 'spool');
}
