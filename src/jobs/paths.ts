// Paths a user gives at submission mean what they mean in a shell: relative to the folder the job is
// submitted from (contract §4), resolved once, so every node reads the same absolute path.
import fs from 'node:fs/promises';
import path from 'node:path';
import { UsageError } from '../errors.js';

/** An output pattern made absolute; Blender's `//` (the .blend's folder) stays as it is, and so does a trailing `/`. */
export function resolveOutputPattern(pattern: string | undefined, cwd: string): string | undefined {
  if (pattern === undefined || pattern === '' || pattern.startsWith('//') || path.isAbsolute(pattern)) return pattern;
  const resolved = path.resolve(cwd, pattern);
  return pattern.endsWith('/') ? `${resolved}/` : resolved;
}

/** A command's program made absolute when it names a path (`./bake.sh`, `tools/x`); a bare name is looked up on the PATH. */
export function resolveCommand(command: string[], cwd: string): string[] {
  const [program, ...args] = command;
  return program.includes('/') ? [path.resolve(cwd, program), ...args] : command;
}

/** Where an output pattern writes, as Blender reads it: `//` is the .blend's folder. */
export function outputLocation(pattern: string, blendFile: string): string {
  return pattern.startsWith('//') ? path.join(path.dirname(blendFile), pattern.slice(2)) : pattern;
}

/** Refuses an output inside the spool: job folders are deleted with their jobs, and nothing of ours deletes outputs. */
export async function refuseOutputInSpool(pattern: string | undefined, blendFile: string, spoolRoot: string): Promise<void> {
  if (!pattern) return;
  const location = outputLocation(pattern, blendFile);
  if (!path.isAbsolute(location)) return;
  const [where, spool] = await Promise.all([realPathOfExisting(location), realPathOfExisting(spoolRoot)]);
  if (isInside(where, spool) || isInside(path.resolve(location), path.resolve(spoolRoot))) {
    throw new UsageError(`output ${pattern} is inside the spool (${spoolRoot}): frames there would go with the job; choose a folder outside it`);
  }
}

export function isInside(child: string, parent: string): boolean {
  const relative = path.relative(parent, child);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}

/** The real path of the longest part of `file` that exists, with the rest appended: links resolved, nothing created. */
async function realPathOfExisting(file: string): Promise<string> {
  let existing = path.resolve(file);
  const rest: string[] = [];
  for (;;) {
    try {
      return path.join(await fs.realpath(existing), ...rest);
    } catch {
      const parent = path.dirname(existing);
      if (parent === existing) return path.resolve(file);
      rest.unshift(path.basename(existing));
      existing = parent;
    }
  }
}
