// Paths per machine, after Flamenco's two-way variables: `render add` stores a path under a project
// root as `{root}/relative/path`, and each node turns it back into its own folder of that root.
import path from 'node:path';
import { localFolder, isUnder, type ProjectRoot } from './roots.js';

/** `{projects}/sh010/shot.blend` → its parts; null for a plain path. */
const ROOTED = /^\{([A-Za-z0-9_-]+)\}\/(.*)$/;

/** The rooted form of an absolute path under one of this machine's root folders, else null. */
export function toRootForm(file: string, roots: ProjectRoot[], node?: string, platform = process.platform): string | null {
  for (const root of roots) {
    const folder = localFolder(root, node, platform);
    if (folder && isUnder(file, folder)) return `{${root.name}}/${path.relative(folder, file).split(path.sep).join('/')}`;
  }
  return null;
}

/** This node's path for a rooted form; null when the root is unknown here or has no folder for it. */
export function fromRootForm(rooted: string, roots: ProjectRoot[], node?: string, platform = process.platform): string | null {
  const match = ROOTED.exec(rooted);
  if (!match) return null;
  const root = roots.find((candidate) => candidate.name === match[1]);
  const folder = root && localFolder(root, node, platform);
  return folder ? path.join(folder, ...match[2].split('/').filter(Boolean)) : null;
}

/**
 * Prefix pairs [their folder, my folder] for every other machine's folder of every root this node
 * has: Blender rewrites absolute library and image paths that start with one (render-blender).
 */
export function foreignPrefixes(roots: ProjectRoot[], node: string, platform = process.platform): [string, string][] {
  const pairs: [string, string][] = [];
  for (const root of roots) {
    const mine = localFolder(root, node, platform);
    if (!mine) continue;
    for (const theirs of new Set([...Object.values(root.platforms), ...Object.values(root.nodes)])) {
      if (theirs && theirs !== mine) pairs.push([theirs, mine]);
    }
  }
  // longest first: a folder inside another root's folder wins
  return pairs.sort((a, b) => b[0].length - a[0].length);
}

/** The hook variables a node maps for a job: RENDER_FILE and RENDER_OUTPUT, and the prefix map for Blender. */
export function mappedPathEnv(job: { fileRooted?: string; outputRooted?: string }, roots: ProjectRoot[], node: string, platform = process.platform): Record<string, string> {
  const env: Record<string, string> = {};
  const file = job.fileRooted && fromRootForm(job.fileRooted, roots, node, platform);
  const output = job.outputRooted && fromRootForm(job.outputRooted, roots, node, platform);
  if (file) env.RENDER_FILE = file;
  if (output) env.RENDER_OUTPUT = output;
  const prefixes = foreignPrefixes(roots, node, platform);
  if (prefixes.length) env.RENDER_PATH_MAP = JSON.stringify(prefixes);
  return env;
}
