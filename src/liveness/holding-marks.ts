// nodes/.holding/: one empty file `<node>~<instance>` per node instance that may hold chunks. A node makes
// its mark before it first tries a claim and removes it once it holds nothing and has checked that no claim
// of its own is left in running/. Observers read the heartbeats of marked nodes only: an idle farm, however
// many nodes and jobs it has, costs one stat of this folder per look (issue 17), and a node holding chunks
// is always marked, so its death is always seen (issue 15).
import fsSync from 'node:fs';
import path from 'node:path';
import type { SpoolLayout } from '../spool/layout.js';
import { touchNoFollow } from '../spool/no-follow.js';

export interface HoldingMark {
  node: string;
  instance: string;
}

export function holdingDir(layout: SpoolLayout): string {
  return path.join(layout.nodes, '.holding');
}

export function holdingFile(layout: SpoolLayout, mark: HoldingMark): string {
  return path.join(holdingDir(layout), `${mark.node}~${mark.instance}`);
}

/** Makes the mark (and its folder, on a spool made by an older renderd); never through a link. */
export function makeHoldingMark(layout: SpoolLayout, mark: HoldingMark): void {
  try {
    touchNoFollow(holdingFile(layout, mark));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code !== 'ENOENT') throw error;
    fsSync.mkdirSync(holdingDir(layout), { recursive: true });
    touchNoFollow(holdingFile(layout, mark));
  }
}

export function hasHoldingMark(layout: SpoolLayout, mark: HoldingMark): boolean {
  return fsSync.existsSync(holdingFile(layout, mark));
}

export function removeHoldingMark(layout: SpoolLayout, mark: HoldingMark): void {
  fsSync.rmSync(holdingFile(layout, mark), { force: true });
}

/** `<node>~<instance>` → the mark; anything else (a temp file, debris) is not one. */
export function parseHoldingMark(name: string): HoldingMark | undefined {
  const at = name.lastIndexOf('~');
  if (at <= 0 || at === name.length - 1 || name.startsWith('.')) return undefined;
  return { node: name.slice(0, at), instance: name.slice(at + 1) };
}
