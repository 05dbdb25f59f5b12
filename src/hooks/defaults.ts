// The package's own folders: default hooks per kind of job, and the templates `render init` copies.
import fs from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** Where `render init` puts a project's editable hooks, and where jobs look for them first. */
export const PROJECT_HOOKS_DIR = 'renderd-hooks';

/** A path inside the installed package, found from this file's place (dist/src/… or src/…). */
export function packagePath(...parts: string[]): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  while (!fs.existsSync(path.join(dir, 'package.json')) && dir !== path.dirname(dir)) dir = path.dirname(dir);
  return path.join(dir, ...parts);
}

/** Every file the farm runs by path (launcher, warm server and client) lives in the package's libexec/. */
export function libexecPath(name: string): string {
  return packagePath('libexec', name);
}

export function defaultHooksDir(kind: 'blender' | 'exec'): string {
  return packagePath('hooks', kind);
}

/** The Blender defaults `render init` also copies out; kept once, in hooks/blender/, not in templates/. */
const DEFAULTS_IN_TEMPLATES = ['render-blender', 'post-check'];

/** Name → source file of every script (and the README) `render init` copies, in name order. */
export function templateFiles(): Array<{ name: string; source: string }> {
  const templates = packagePath('templates', 'hooks');
  const files = fs.readdirSync(templates).map((name) => ({ name, source: path.join(templates, name) }));
  for (const name of DEFAULTS_IN_TEMPLATES) files.push({ name, source: path.join(defaultHooksDir('blender'), name) });
  return files.sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** The package's version, for --version. */
export function packageVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(packagePath('package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
