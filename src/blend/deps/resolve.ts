// Where a stored path points on this machine: `//` is relative to the .blend that stores it
// (a library's paths to the library), backslashes are Windows separators, and a frame or tile
// number in a sequence's path stands for every frame or tile beside it.
import { readdirSync, statSync } from 'node:fs';
import path from 'node:path';
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
  const pattern = sequencePattern(path.basename(resolved));
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names.filter((name) => pattern.test(name)).sort().map((name) => path.join(dir, name)).filter(isFile);
}

/** `shot_0001.png` → /^shot_\d+\.png$/; `<UDIM>` and `<UVTILE>` tokens (or 1001-style numbers) likewise. */
export function sequencePattern(name: string): RegExp {
  const escape = (text: string) => text.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  if (/<UDIM>|<UVTILE>/.test(name)) {
    return new RegExp(`^${name.split(/(<UDIM>|<UVTILE>)/).map((part) =>
      part === '<UDIM>' ? '\\d{4}' : part === '<UVTILE>' ? 'u\\d+_v\\d+' : escape(part)).join('')}$`);
  }
  const match = /^(.*?)(\d+)(\D*)$/.exec(name);
  if (!match) return new RegExp(`^${escape(name)}$`);
  return new RegExp(`^${escape(match[1])}\\d+${escape(match[3])}$`);
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
