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

export function defaultHooksDir(kind: 'blender' | 'exec'): string {
  return packagePath('hooks', kind);
}

/** The package's version, for --version. */
export function packageVersion(): string {
  try {
    return (JSON.parse(fs.readFileSync(packagePath('package.json'), 'utf8')) as { version?: string }).version ?? 'unknown';
  } catch {
    return 'unknown';
  }
}
