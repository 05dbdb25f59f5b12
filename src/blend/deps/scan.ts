// The I/O edge of dependency finding: the blocks of every struct that stores a path.
import { scanStructs } from '../struct-scan.js';
import type { BlendCompression, BlendHeader } from '../types.js';
import { collectStoredPaths, findPathStructIndexes, type StoredPath } from './collect.js';

export interface StoredPaths {
  file: string;
  compression: BlendCompression;
  header: BlendHeader;
  paths: StoredPath[];
}

export async function readStoredPaths(file: string): Promise<StoredPaths> {
  const { compression, sdna, scan } = await scanStructs(file, (index, sdna) => findPathStructIndexes(sdna).has(index));
  return { file, compression, header: scan.header, paths: sdna ? collectStoredPaths(sdna, scan, file) : [] };
}
