// The `a` key's file browser: folders and .blend files of one directory, folders first.
import path from 'node:path';
import { fit } from './text.js';

export interface BrowserEntry {
  name: string;
  /** Absolute path it leads to. */
  path: string;
  kind: 'parent' | 'dir' | 'blend';
}

export interface RawDirEntry { name: string; isDirectory: boolean }

/** What the browser lists for `dir`: `..` (except at the root), folders, then .blend files; hidden ones only on request. */
export function browserEntries(dir: string, raw: readonly RawDirEntry[], showHidden = false): BrowserEntry[] {
  const visible = raw.filter((e) => showHidden || !e.name.startsWith('.'));
  const byName = (a: RawDirEntry, b: RawDirEntry) => a.name.localeCompare(b.name);
  const dirs = visible.filter((e) => e.isDirectory).sort(byName).map((e): BrowserEntry => ({ name: `${e.name}/`, path: path.join(dir, e.name), kind: 'dir' }));
  const blends = visible.filter((e) => !e.isDirectory && e.name.toLowerCase().endsWith('.blend')).sort(byName)
    .map((e): BrowserEntry => ({ name: e.name, path: path.join(dir, e.name), kind: 'blend' }));
  const parent: BrowserEntry[] = path.dirname(dir) === dir ? [] : [{ name: '../', path: path.dirname(dir), kind: 'parent' }];
  return [...parent, ...dirs, ...blends];
}

/** The browser's title: the directory, its start cut away when it is too long. */
export function browserTitle(dir: string, width: number): string {
  return dir.length <= width ? dir : fit('…' + dir.slice(dir.length - width + 1), width);
}
