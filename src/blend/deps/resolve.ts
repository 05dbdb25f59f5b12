// Where a stored path points on this machine: `//` is relative to the .blend that stores it
// (a library's paths to the library), backslashes are Windows separators, and a frame or tile
// number in a sequence's path stands for every frame or tile beside it.
import { statSync } from 'node:fs';
import path from 'node:path';
import fg from 'fast-glob';
import { FOLDER_KINDS, SEQUENCE_KINDS, type DependencyKind } from './kinds.js';

/** Resolves a Blender path to an absolute one; a Windows drive path stays as it is (no such file here). */
export function resolveBlendPath(stored: string, blendFile: string): string {
  const slashed = stored.replace(/\\/g, '/');
  if (/^[A-Za-z]:\//.test(slashed)) return stored;
  if (slashed.startsWith('//')) return path.resolve(path.dirname(blendFile), slashed.slice(2));
  return path.resolve(path.dirname(blendFile), slashed);
}

/** The files a dependency stands for on disk: one, or a sequence's frames/tiles; none when missing. */
export function listDependencyFiles(kind: DependencyKind, resolved: string): string[] {
  if (FOLDER_KINDS.has(kind)) return isFolder(resolved) ? [resolved] : [];
  if (!SEQUENCE_KINDS.has(kind)) return isFile(resolved) ? [resolved] : [];
  const dir = path.dirname(resolved);
  // stats: a folder on NFS or FUSE may not say an entry's type in its listing, and a frame is a file
  const names = fg.sync(sequenceGlob(path.basename(resolved)), { cwd: dir, onlyFiles: true, stats: true, dot: true, deep: 1, suppressErrors: true });
  return names.map((entry) => path.join(dir, entry.name)).sort();
}

/** `shot_0001.png` → `shot_+([0-9]).png`; `<UDIM>` and `<UVTILE>` tokens (or 1001-style numbers) likewise. */
export function sequenceGlob(name: string): string {
  if (/<UDIM>|<UVTILE>/.test(name)) {
    return name.split(/(<UDIM>|<UVTILE>)/).map((part) =>
      part === '<UDIM>' ? '[0-9][0-9][0-9][0-9]' : part === '<UVTILE>' ? 'u+([0-9])_v+([0-9])' : fg.escapePath(part)).join('');
  }
  const match = /^(.*?)(\d+)(\D*)$/.exec(name);
  if (!match) return fg.escapePath(name);
  return `${fg.escapePath(match[1])}+([0-9])${fg.escapePath(match[3])}`;
}

function isFile(file: string): boolean {
  try {
    return statSync(file).isFile();
  } catch {
    return false;
  }
}

function isFolder(dir: string): boolean {
  try {
    return statSync(dir).isDirectory();
  } catch {
    return false;
  }
}
