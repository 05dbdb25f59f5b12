// The I/O edge of dependency finding: two streaming passes over a .blend. DNA1 sits at the end of
// the file, so the first pass learns which struct indexes hold paths and the second keeps only those.
import { scanBlendFile } from '../read.js';
import { parseSdna } from '../sdna.js';
import { corruptError } from '../input-errors.js';
import type { BlendCompression, BlendHeader } from '../types.js';
import { collectStoredPaths, findPathStructIndexes, type StoredPath } from './collect.js';

export interface StoredPaths {
  file: string;
  compression: BlendCompression;
  header: BlendHeader;
  paths: StoredPath[];
}

export async function readStoredPaths(file: string): Promise<StoredPaths> {
  const first = await scanBlendFile(file, (code) => code === 'DNA1');
  const dna = first.scan.blocks.find((block) => block.head.code === 'DNA1');
  const { header } = first.scan;
  if (!dna) {
    // a file without SDNA (none in the wild) cannot store a readable path
    if (first.scan.blocks.length === 0) return { file, compression: first.compression, header, paths: [] };
    throw corruptError(file, 'no DNA1 block');
  }
  const sdna = parseSdna(dna.data, header.pointerSize, header.endian, file);
  const wanted = findPathStructIndexes(sdna);
  const second = await scanBlendFile(file, (code, head) => code !== 'DNA1' && wanted.has(head.sdnaIndex));
  return { file, compression: first.compression, header, paths: collectStoredPaths(sdna, second.scan, file) };
}
