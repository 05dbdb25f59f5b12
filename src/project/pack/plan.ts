// The pure core of `render add --pack DIR`: where each file goes. Everything keeps its place relative
// to the deepest folder holding the .blend and all its dependencies, so relative paths stay true;
// absolute paths stored in a copied .blend are rewritten to `//` paths (when they fit their field).
import path from 'node:path';
import type { Dependency } from '../../blend/deps/index.js';

export interface PackPlan {
  /** The folder whose layout the pack reproduces under DIR. */
  base: string;
  /** The packed main .blend. */
  main: string;
  /** source → destination for every file and folder to copy. */
  copies: Map<string, string>;
  /** Per .blend to copy (main, libraries): its destination and the stored paths to rewrite in it. */
  blends: Map<string, { destination: string; rewrites: Map<string, string> }>;
}

export function planPack(blendFile: string, deps: Dependency[], files: Map<Dependency, string[]>, packDir: string): PackPlan {
  const present = deps.filter((dep) => (files.get(dep) ?? []).length > 0);
  const base = commonFolder([path.dirname(blendFile), ...present.flatMap((dep) => files.get(dep)!.map((file) => path.dirname(file)))]);
  const destinationOf = (file: string) => path.join(packDir, path.relative(base, file));
  const copies = new Map<string, string>();
  const blends = new Map<string, { destination: string; rewrites: Map<string, string> }>();
  blends.set(blendFile, { destination: destinationOf(blendFile), rewrites: new Map() });
  for (const dep of present) {
    for (const file of files.get(dep)!) {
      if (dep.kind === 'library') blends.set(file, { destination: destinationOf(file), rewrites: new Map() });
      else copies.set(file, destinationOf(file));
    }
  }
  for (const dep of present) {
    const holder = blends.get(dep.from);
    if (!holder || !isAbsoluteStored(dep.path)) continue;
    const relative = path.relative(path.dirname(holder.destination), destinationOf(dep.resolved)).split(path.sep).join('/');
    holder.rewrites.set(dep.path, `//${relative}`);
  }
  return { base, main: destinationOf(blendFile), copies, blends };
}

/** Blender's relative paths start with `//`; anything else absolute names one machine's layout. */
export function isAbsoluteStored(stored: string): boolean {
  return !stored.startsWith('//') && path.isAbsolute(stored);
}

function commonFolder(folders: string[]): string {
  let common = folders[0].split(path.sep);
  for (const folder of folders.slice(1)) {
    const parts = folder.split(path.sep);
    let i = 0;
    while (i < common.length && i < parts.length && common[i] === parts[i]) i++;
    common = common.slice(0, i);
  }
  return common.join(path.sep) || path.sep;
}
