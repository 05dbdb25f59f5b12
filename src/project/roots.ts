// The spool-wide table of project roots (`<spool>/roots.json`), after Flamenco's two-way
// variables: one named root, its folder on each platform, and per-node exceptions.
//   {"roots": [{"name": "projects", "linux": "/mnt/projects", "darwin": "/Volumes/projects",
//               "win32": "P:/projects", "nodes": {"farm-07": "/data/projects"}}]}
// Files under a root are reachable from every node; RENDER_PROJECT_ROOTS (path-list) adds local ones.
import { readFile } from 'node:fs/promises';
import path from 'node:path';
import { SpoolFormatError } from '../errors.js';

export interface ProjectRoot {
  name: string;
  /** Folder by platform (process.platform names: linux, darwin, win32). */
  platforms: Partial<Record<string, string>>;
  /** Folder by node name, ahead of the platform's. */
  nodes: Record<string, string>;
}

export const ROOTS_FILE = 'roots.json';

export async function readProjectRoots(spoolDir: string): Promise<ProjectRoot[]> {
  const file = path.join(spoolDir, ROOTS_FILE);
  let text: string;
  try {
    text = await readFile(file, 'utf8');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return [];
    throw error;
  }
  return parseProjectRoots(text, file);
}

export function parseProjectRoots(text: string, file: string): ProjectRoot[] {
  let doc: unknown;
  try {
    doc = JSON.parse(text);
  } catch (error) {
    throw new SpoolFormatError(file, `not JSON (${(error as Error).message})`);
  }
  const roots = (doc as { roots?: unknown }).roots;
  if (!Array.isArray(roots)) throw new SpoolFormatError(file, 'needs {"roots": [...]}');
  return roots.map((entry, i) => {
    const { name, nodes = {}, ...platforms } = entry as Record<string, unknown>;
    if (typeof name !== 'string' || !/^[A-Za-z0-9_-]+$/.test(name)) throw new SpoolFormatError(file, `root ${i} needs a name of letters, digits, - and _`);
    const folders = { ...platforms, ...(nodes as object) };
    if (Object.values(folders).some((folder) => typeof folder !== 'string' || folder === '')) {
      throw new SpoolFormatError(file, `root '${name}': every folder must be a non-empty string`);
    }
    return { name, platforms: platforms as Record<string, string>, nodes: nodes as Record<string, string> };
  });
}

/** This machine's folder of a root: the node's own entry, else the platform's; undefined if neither. */
export function localFolder(root: ProjectRoot, node: string | undefined, platform: string = process.platform): string | undefined {
  return (node !== undefined ? root.nodes[node] : undefined) ?? root.platforms[platform];
}

/** The folders this machine sees the farm's projects under: the table's, then RENDER_PROJECT_ROOTS. */
export function localRootFolders(roots: ProjectRoot[], env: NodeJS.ProcessEnv, node?: string): string[] {
  const fromTable = roots.map((root) => localFolder(root, node)).filter((folder): folder is string => Boolean(folder));
  const fromEnv = (env.RENDER_PROJECT_ROOTS ?? '').split(path.delimiter).filter(Boolean);
  return [...fromTable, ...fromEnv].map((folder) => path.resolve(folder));
}

export function isUnder(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return relative === '' || (!relative.startsWith('..') && !path.isAbsolute(relative));
}
