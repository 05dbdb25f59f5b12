// The pure core of dependency finding: the kept blocks of a scan → every path they store, with
// where the path field sits in the (decompressed) file so pack/ can rewrite it in place.
import path from 'node:path';
import type { Sdna } from '../sdna.js';
import type { BlockScan } from '../block-scanner.js';
import { getBlockHeadSize } from '../block-head.js';
import { resolveFieldPath, type FieldLayout } from '../struct-layout.js';
import { PATH_STRUCTS, PTCACHE_EXTERNAL, type DependencyKind, type PathStruct, type StructFields } from './kinds.js';

export interface StoredPath {
  kind: DependencyKind;
  /** The path as the file stores it, e.g. `//textures/wood.png` or `/mnt/lib/rock.png`. */
  path: string;
  /** Where the path field lies in the decompressed file and how many bytes it holds; null: derived, not stored. */
  field: { offset: number; size: number } | null;
}

const utf8 = new TextDecoder('utf-8');

/** The SDNA struct indexes worth keeping in a scan: every struct of PATH_STRUCTS the file's DNA has. */
export function findPathStructIndexes(sdna: Sdna): Map<number, PathStruct> {
  const wanted = new Map<number, PathStruct>();
  sdna.structs.forEach((struct, index) => {
    const spec = PATH_STRUCTS.find((candidate) => candidate.struct === sdna.types[struct.typeIndex]);
    if (spec) wanted.set(index, spec);
  });
  return wanted;
}

export function collectStoredPaths(sdna: Sdna, scan: BlockScan, blendFile: string): StoredPath[] {
  const wanted = findPathStructIndexes(sdna);
  const headSize = getBlockHeadSize(scan.header);
  const found: StoredPath[] = [];
  for (const block of scan.blocks) {
    const spec = wanted.get(block.head.sdnaIndex);
    if (!spec) continue;
    const structSize = sdna.typeLengths[sdna.structs[block.head.sdnaIndex].typeIndex];
    const count = Math.min(block.head.count, structSize > 0 ? Math.floor(block.data.length / structSize) : 0);
    for (let i = 0; i < count; i++) {
      const data = block.data.subarray(i * structSize, (i + 1) * structSize);
      const stored = readStoredPath(sdna, spec, data, block.offset + headSize + i * structSize, blendFile);
      if (stored) found.push(stored);
    }
  }
  return found;
}

function readStoredPath(sdna: Sdna, spec: PathStruct, data: Uint8Array, dataOffset: number, blendFile: string): StoredPath | null {
  const field = spec.pathFields.map((name) => resolveFieldPath(sdna, spec.struct, name)).find((candidate) => candidate);
  if (!field || field.isPointer || field.elementSize !== 1 || field.offset + field.size > data.length) return null;
  const kind = spec.classify(readFields(sdna, spec.struct, data));
  if (!kind) return null;
  const bytes = data.subarray(field.offset, field.offset + field.size);
  const end = bytes.indexOf(0);
  const stored = utf8.decode(end < 0 ? bytes : bytes.subarray(0, end));
  if (kind === 'point-cache' && !(readFields(sdna, spec.struct, data).int('flag')! & PTCACHE_EXTERNAL)) {
    // a disk cache that is not "external" lives next to the file, whatever its path field says
    return { kind, path: `//blendcache_${path.basename(blendFile).replace(/\.blend\d*$/i, '')}/`, field: null };
  }
  if (stored === '' || stored === '<builtin>') return null;
  return { kind, path: stored, field: { offset: dataOffset + field.offset, size: field.size } };
}

/** Integer and pointer reads of one struct instance; a field the DNA lacks reads as null / unset. */
function readFields(sdna: Sdna, struct: string, data: Uint8Array): StructFields {
  const view = new DataView(data.buffer, data.byteOffset, data.byteLength);
  const little = sdna.endian === 'little';
  const locate = (name: string): FieldLayout | null => {
    const field = resolveFieldPath(sdna, struct, name);
    return field && field.offset + field.elementSize <= data.length ? field : null;
  };
  const isNonZero = (field: FieldLayout | null) => {
    if (!field) return false;
    for (let i = 0; i < field.elementSize; i++) if (data[field.offset + i] !== 0) return true;
    return false;
  };
  return {
    int(name) {
      const field = locate(name);
      if (!field || field.isPointer) return null;
      switch (field.elementSize) {
        case 1: return view.getInt8(field.offset);
        case 2: return view.getInt16(field.offset, little);
        case 4: return view.getInt32(field.offset, little);
        default: return null;
      }
    },
    pointerSet: (name) => {
      const field = locate(name);
      return field !== null && field.isPointer && isNonZero(field);
    },
    listSet: (name) => isNonZero(locate(`${name}.first`)),
  };
}

