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
  /** `extension` on Blender 4.2+ (the user_default repository), `legacy` before (scripts/addons). */
  kind: 'extension' | 'legacy';
  /** The Python module Blender enables: `renderd`, or `bl_ext.user_default.renderd`. */
  module: string;
  folder: string;
  /** render_cli.json: beside a legacy add-on, in the extension's user folder (kept across its updates). */
  recordFile: string;
  cli: string[];
}

/** The add-on's source folder in this package. */
export function addonSourceDir(): string {
  return packagePath('blender');
}

// where Blender wants it: an extension from 4.2 (bpy.utils.extension_path_user exists), else scripts/addons
const WHERE_SCRIPT = `import bpy, json
ext = hasattr(bpy.utils, 'extension_path_user')
module = 'bl_ext.user_default.${ADDON_MODULE}' if ext else '${ADDON_MODULE}'
where = dict(version=bpy.app.version_string, kind='extension' if ext else 'legacy', module=module,
  parent=bpy.utils.user_resource('EXTENSIONS', path='user_default', create=True) if ext else bpy.utils.user_resource('SCRIPTS', path='addons', create=True),
  user=bpy.utils.extension_path_user(module, create=True) if ext else '',
  legacy=bpy.utils.user_resource('SCRIPTS', path='addons'))
print(${JSON.stringify(MARK)} + json.dumps(where))`;

interface Where { version: string; kind: 'extension' | 'legacy'; module: string; parent: string; user: string; legacy: string }

export async function installAddon(blender: string, env: NodeJS.ProcessEnv): Promise<AddonInstall> {
  const where = JSON.parse(await askBlender(blender, env, true, WHERE_SCRIPT)) as Where;
  const folder = path.join(where.parent, ADDON_MODULE);
  await rm(folder, { recursive: true, force: true });
  await mkdir(where.parent, { recursive: true });
  await cp(addonSourceDir(), folder, { recursive: true, filter: (source) => !source.includes('__pycache__') && path.basename(source) !== 'render_cli.json' });
  // a legacy copy from an install before 4.2 would register the same operators twice
  if (where.kind === 'extension') await rm(path.join(where.legacy, ADDON_MODULE), { recursive: true, force: true });
  // the add-on runs exactly this node and this CLI, whatever Blender's PATH holds
  const cli = [process.execPath, packagePath('bin', 'render')];
  const recordFile = path.join(where.kind === 'extension' ? where.user : folder, 'render_cli.json');
  await mkdir(path.dirname(recordFile), { recursive: true });
  await writeFile(recordFile, JSON.stringify({ command: cli }, null, 2) + '\n');
  await askBlender(blender, env, false, `import addon_utils, bpy
${where.kind === 'extension' ? `addon_utils.disable(${JSON.stringify(ADDON_MODULE)}, default_set=True)
` : ''}addon_utils.enable(${JSON.stringify(where.module)}, default_set=True, persistent=True)
assert ${JSON.stringify(where.module)} in bpy.context.preferences.addons, 'the add-on did not enable'
bpy.ops.wm.save_userpref()
print(${JSON.stringify(MARK)} + 'enabled')`);
  return { blender, blenderVersion: where.version, kind: where.kind, module: where.module, folder, recordFile, cli };
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
