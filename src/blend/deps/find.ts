// Every file a .blend needs, following linked libraries into the libraries' own dependencies.
import { readStoredPaths } from './scan.js';
import { listDependencyFiles, resolveBlendPath } from './resolve.js';
import type { DependencyKind } from './kinds.js';
import { FarmError, errorMessage } from '../../errors.js';

export interface Dependency {
  kind: DependencyKind;
  /** As stored in the .blend. */
  path: string;
  /** Absolute on this machine. */
  resolved: string;
  /** The file, folder, or at least one frame/tile of a sequence, is there. */
  exists: boolean;
  /** The .blend that stores the path: the file itself or one of its libraries. */
  from: string;
  /** A library that could not be read: why (its own dependencies are then unknown). */
  problem?: string;
}

/** Libraries nested deeper than this are a cycle or a mistake; Blender itself warns past a few levels. */
const MAX_LIBRARY_DEPTH = 32;

export async function findDependencies(blendFile: string): Promise<Dependency[]> {
  const found = new Map<string, Dependency>();
  const visited = new Set<string>([blendFile]);
  await visit(blendFile, 0, found, visited);
  return [...found.values()];
}

/** The root's read errors are the user's (a bad file); a library's are kept on its entry. */
async function visit(file: string, depth: number, found: Map<string, Dependency>, visited: Set<string>): Promise<void> {
  const stored = await readStoredPaths(file);
  const libraries: Dependency[] = [];
  for (const entry of stored.paths) {
    const resolved = resolveBlendPath(entry.path, file);
    const key = `${entry.kind}\0${resolved}`;
    if (found.has(key)) continue;
    const dependency: Dependency = {
      kind: entry.kind, path: entry.path, resolved, exists: listDependencyFiles(entry.kind, resolved).length > 0, from: file,
    };
    found.set(key, dependency);
    if (entry.kind === 'library') libraries.push(dependency);
  }
  for (const library of libraries) {
    if (!library.exists || visited.has(library.resolved) || depth >= MAX_LIBRARY_DEPTH) continue;
    visited.add(library.resolved);
    try {
      await visit(library.resolved, depth + 1, found, visited);
    } catch (error) {
      if (!(error instanceof FarmError)) throw error;
      library.problem = errorMessage(error);
    }
  }
}
