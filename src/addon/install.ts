// Installing the Blender add-on (the package's blender/ folder) for a user's Blender: Blender itself
// says where its user add-ons live, the folder is copied there as `renderd` with the command that
// runs this CLI recorded beside it, and Blender enables it in the user's preferences.
import { execFile } from 'node:child_process';
import { cp, mkdir, rm, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { promisify } from 'node:util';
import { packagePath } from '../hooks/defaults.js';
import { UsageError } from '../errors.js';

const run = promisify(execFile);
const BLENDER_TIMEOUT_MS = 120_000;
export const ADDON_MODULE = 'renderd';
const MARK = 'RENDERD_ADDON:';

export interface AddonInstall {
  blender: string;
  blenderVersion: string;
  folder: string;
  cli: string[];
}

/** The add-on's source folder in this package. */
export function addonSourceDir(): string {
  return packagePath('blender');
}

export async function installAddon(blender: string, env: NodeJS.ProcessEnv): Promise<AddonInstall> {
  const where = await askBlender(blender, env, true, `import bpy
print(${JSON.stringify(MARK)} + bpy.utils.user_resource('SCRIPTS', path='addons', create=True) + '|' + bpy.app.version_string)`);
  const [addons, blenderVersion] = where.split('|');
  const folder = path.join(addons, ADDON_MODULE);
  await rm(folder, { recursive: true, force: true });
  await mkdir(addons, { recursive: true });
  await cp(addonSourceDir(), folder, { recursive: true, filter: (source) => !source.includes('__pycache__') });
  // the add-on runs exactly this node and this CLI, whatever Blender's PATH holds
  const cli = [process.execPath, packagePath('bin', 'render')];
  await writeFile(path.join(folder, 'render_cli.json'), JSON.stringify({ command: cli }, null, 2) + '\n');
  await askBlender(blender, env, false, `import addon_utils, bpy
addon_utils.enable(${JSON.stringify(ADDON_MODULE)}, default_set=True, persistent=True)
bpy.ops.wm.save_userpref()
print(${JSON.stringify(MARK)} + 'enabled')`);
  return { blender, blenderVersion, folder, cli };
}

/** Runs a Python expression in `blender -b` and returns what it printed after MARK. */
async function askBlender(blender: string, env: NodeJS.ProcessEnv, factory: boolean, script: string): Promise<string> {
  const args = ['-b', ...(factory ? ['--factory-startup'] : []), '--python-exit-code', '1', '--python-expr', script];
  let stdout: string;
  try {
    ({ stdout } = await run(blender, args, { env, timeout: BLENDER_TIMEOUT_MS, maxBuffer: 8 * 1024 * 1024 }));
  } catch (error) {
    const { code, stdout: out = '' } = error as { code?: string | number; stdout?: string };
    if (code === 'ENOENT') throw new UsageError(`--blender ${blender}: no such program (install Blender or pass its path)`);
    const last = String(out).trim().split('\n').filter((line) => /error/i.test(line)).pop();
    throw new UsageError(`${blender} failed while installing the add-on${last ? `: ${last}` : ''}`);
  }
  const line = stdout.split('\n').find((candidate) => candidate.startsWith(MARK));
  if (!line) throw new UsageError(`${blender} did not answer like Blender (no ${MARK} line)`);
  return line.slice(MARK.length).trim();
}
