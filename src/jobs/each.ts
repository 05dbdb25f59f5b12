// `render add --each-view-layer` / `--each-camera`: one job per view layer or camera, named after it,
// its output in a folder of its own (`…/<layer>/f_####`), all in one group. Pure: names in, jobs out.
import { UsageError } from '../errors.js';

export type EachKind = 'view-layer' | 'camera';

export interface EachJob {
  /** The view layer or camera, as the file names it. */
  target: string;
  name: string;
  output: string;
}

/** A name as a folder: characters a path could trip on become `_` (`a/b` → `a_b`, `..` → `_`). */
export function folderName(name: string): string {
  const safe = name.replace(/[^A-Za-z0-9._ -]/g, '_').trim();
  return safe === '' || /^\.+$/.test(safe) ? '_' : safe;
}

/** `/out/f_####` → `/out/<dir>/f_####`; `/out/` → `/out/<dir>/`; Blender's `//` kept in front. */
export function outputInFolder(pattern: string, dir: string): string {
  const slash = pattern.lastIndexOf('/');
  return `${pattern.slice(0, slash + 1)}${dir}/${pattern.slice(slash + 1)}`;
}

export function planEach(kind: EachKind, targets: readonly string[], baseName: string, baseOutput: string | undefined, file: string): EachJob[] {
  const flag = `--each-${kind}`;
  if (targets.length === 0) throw new UsageError(`${flag}: ${file} has no ${kind === 'camera' ? 'camera objects' : 'view layers'}`);
  if (!baseOutput) throw new UsageError(`${flag}: the scene has no output path to make distinct; pass --output`);
  const used = new Set<string>();
  return targets.map((target) => {
    let dir = folderName(target);
    // two names that become one folder (`A/B` and `A_B`) must not write over each other
    for (let n = 2; used.has(dir); n++) dir = `${folderName(target)}-${n}`;
    used.add(dir);
    return { target, name: `${baseName}.${target}`, output: outputInFolder(baseOutput, dir) };
  });
}
