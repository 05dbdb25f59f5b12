// Every instance of some SDNA structs in a .blend, in two streaming passes: DNA1 sits at the end of
// the file, so the first pass learns the struct indexes and the second keeps only their blocks.
import { scanBlendFile } from './read.js';
import { parseSdna, type Sdna } from './sdna.js';
import { corruptError } from './input-errors.js';
import type { BlockScan } from './block-scanner.js';
import type { BlendCompression } from './types.js';

export interface StructScan {
  compression: BlendCompression;
  /** Null for a file without DNA1 and without blocks (nothing to decode). */
  sdna: Sdna | null;
  scan: BlockScan;
}

export async function scanStructs(file: string, isWanted: (structIndex: number, sdna: Sdna) => boolean): Promise<StructScan> {
  const first = await scanBlendFile(file, (code) => code === 'DNA1');
  const dna = first.scan.blocks.find((block) => block.head.code === 'DNA1');
  if (!dna) {
    if (first.scan.blocks.length === 0) return { compression: first.compression, sdna: null, scan: { header: first.scan.header, blocks: [] } };
    throw corruptError(file, 'no DNA1 block');
  }
  const sdna = parseSdna(dna.data, first.scan.header.pointerSize, first.scan.header.endian, file);
  const wanted = new Set(sdna.structs.map((_, index) => index).filter((index) => isWanted(index, sdna)));
  const second = await scanBlendFile(file, (code, head) => code !== 'DNA1' && wanted.has(head.sdnaIndex));
  return { compression: first.compression, sdna, scan: second.scan };
}

/** The struct type a block holds, e.g. `Object`. */
export function structTypeOf(sdna: Sdna, sdnaIndex: number): string | undefined {
  const struct = sdna.structs[sdnaIndex];
  return struct ? sdna.types[struct.typeIndex] : undefined;
}
