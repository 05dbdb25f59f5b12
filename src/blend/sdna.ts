// The SDNA (`DNA1` block): the names, types, type sizes and struct definitions a file was written
// with. Format from blender/blender source/blender/makesdna/intern/dna_genfile.cc (init_structDNA):
// "SDNA" "NAME" n names… "TYPE" n types… "TLEN" n×i16 "STRC" n×(i16 type, i16 count, count×(i16 type, i16 name)),
// each section start aligned to 4 bytes.
import type { BlendEndian } from './types.js';
import { corruptError } from './input-errors.js';
import { decodeAscii } from './header.js';

export interface SdnaMember {
  /** Index into Sdna.types. */
  typeIndex: number;
  /** The declarator as written, e.g. `*next`, `name[66]`, `(*func)()`, `mat[4][4]`. */
  declarator: string;
}

export interface SdnaStruct {
  typeIndex: number;
  members: SdnaMember[];
}

export interface Sdna {
  types: string[];
  /** Size in bytes of each type, parallel to `types` (0 for `void`). */
  typeLengths: number[];
  structs: SdnaStruct[];
  /** Struct index by type name, e.g. `Scene` → 98. */
  structByType: Map<string, number>;
  pointerSize: 4 | 8;
  endian: BlendEndian;
}

export function parseSdna(data: Uint8Array, pointerSize: 4 | 8, endian: BlendEndian, file: string): Sdna {
  const cursor = new SdnaCursor(data, endian === 'little', file);
  cursor.expectTag('SDNA');
  cursor.expectTag('NAME');
  const names = cursor.readStrings(cursor.readCount(1));
  cursor.alignTo4();
  cursor.expectTag('TYPE');
  const types = cursor.readStrings(cursor.readCount(1));
  cursor.alignTo4();
  cursor.expectTag('TLEN');
  const typeLengths: number[] = [];
  for (let i = 0; i < types.length; i++) typeLengths.push(cursor.readUint16());
  cursor.alignTo4();
  cursor.expectTag('STRC');
  const structCount = cursor.readCount(4);
  const structs: SdnaStruct[] = [];
  const structByType = new Map<string, number>();
  for (let i = 0; i < structCount; i++) {
    const typeIndex = cursor.readIndex(types.length, 'struct type');
    const memberCount = cursor.readUint16();
    const members: SdnaMember[] = [];
    for (let m = 0; m < memberCount; m++) {
      const memberType = cursor.readIndex(types.length, 'member type');
      const nameIndex = cursor.readIndex(names.length, 'member name');
      members.push({ typeIndex: memberType, declarator: names[nameIndex] });
    }
    structs.push({ typeIndex, members });
    if (!structByType.has(types[typeIndex])) structByType.set(types[typeIndex], i);
  }
  return { types, typeLengths, structs, structByType, pointerSize, endian };
}

/** Reads the DNA1 data front to back; every read is bounds-checked, since the block may be hostile. */
class SdnaCursor {
  #pos = 0;
  readonly #view: DataView;

  constructor(readonly bytes: Uint8Array, readonly little: boolean, readonly file: string) {
    this.#view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  }

  expectTag(tag: string): void {
    this.#need(4, tag);
    const found = decodeAscii(this.bytes, this.#pos, this.#pos + 4);
    if (found !== tag) throw this.#corrupt(`expected '${tag}' at byte ${this.#pos}`);
    this.#pos += 4;
  }

  /** A count of items each at least `minItemBytes` long: larger than the data left means corrupt. */
  readCount(minItemBytes: number): number {
    this.#need(4, 'count');
    const count = this.#view.getInt32(this.#pos, this.little);
    this.#pos += 4;
    if (count < 0 || count * minItemBytes > this.bytes.length - this.#pos) throw this.#corrupt(`impossible count ${count}`);
    return count;
  }

  readUint16(): number {
    this.#need(2, 'short');
    const value = this.#view.getUint16(this.#pos, this.little);
    this.#pos += 2;
    return value;
  }

  readIndex(limit: number, what: string): number {
    const index = this.readUint16();
    if (index >= limit) throw this.#corrupt(`${what} index ${index} out of range`);
    return index;
  }

  readStrings(count: number): string[] {
    const strings: string[] = [];
    for (let i = 0; i < count; i++) {
      const end = this.bytes.indexOf(0, this.#pos);
      if (end < 0) throw this.#corrupt('unterminated name');
      strings.push(decodeAscii(this.bytes, this.#pos, end));
      this.#pos = end + 1;
    }
    return strings;
  }

  alignTo4(): void {
    this.#pos = (this.#pos + 3) & ~3;
  }

  #need(size: number, what: string): void {
    if (this.#pos + size > this.bytes.length) throw this.#corrupt(`DNA1 ends inside ${what}`);
  }

  #corrupt(detail: string) {
    return corruptError(this.file, `bad SDNA: ${detail}`);
  }
}
