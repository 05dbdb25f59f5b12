// Typed reads of one struct instance (a block's data) by field path, using the file's own SDNA:
// the same code reads 2.48 and 5.0 files, 4- and 8-byte pointers, either endianness.
import type { Sdna } from './sdna.js';
import { resolveFieldPath, type FieldLayout } from './struct-layout.js';
import { corruptError } from './input-errors.js';
import { readPointerKey } from './block-head.js';

const utf8 = new TextDecoder('utf-8');

export class StructView {
  readonly #view: DataView;
  readonly #little: boolean;

  constructor(
    readonly sdna: Sdna,
    readonly structType: string,
    readonly data: Uint8Array,
    readonly file: string,
  ) {
    this.#view = new DataView(data.buffer, data.byteOffset, data.byteLength);
    this.#little = sdna.endian === 'little';
  }

  has(path: string): boolean {
    return resolveFieldPath(this.sdna, this.structType, path) !== null;
  }

  /** An integer field (char, short, int, int64 and their unsigned forms); null if the DNA lacks it. */
  readInt(path: string): number | null {
    const field = this.#locate(path);
    if (!field) return null;
    if (field.isPointer || field.count !== 1 || /^(float|double)$/.test(field.type)) {
      throw corruptError(this.file, `${this.structType}.${path} is a ${field.type}, not an integer`);
    }
    const unsigned = /^(u|char$)/.test(field.type); // DNA `char` holds enum values up to 255
    const at = field.offset;
    switch (field.elementSize) {
      case 1: return unsigned ? this.#view.getUint8(at) : this.#view.getInt8(at);
      case 2: return unsigned ? this.#view.getUint16(at, this.#little) : this.#view.getInt16(at, this.#little);
      case 4: return unsigned ? this.#view.getUint32(at, this.#little) : this.#view.getInt32(at, this.#little);
      case 8: return Number(unsigned ? this.#view.getBigUint64(at, this.#little) : this.#view.getBigInt64(at, this.#little));
      default: throw corruptError(this.file, `${this.structType}.${path} has odd size ${field.elementSize}`);
    }
  }

  /** A pointer field as its saved address's key ('' for null: see pointerKey); null if the DNA lacks it. */
  readPointer(path: string): string | null {
    const field = this.#locate(path);
    if (!field) return null;
    if (!field.isPointer || field.count !== 1) throw corruptError(this.file, `${this.structType}.${path} is not a pointer`);
    return readPointerKey(this.data, field.offset, this.sdna.pointerSize, this.#little);
  }

  /** A NUL-terminated UTF-8 `char[]` field; null if the DNA lacks it. */
  readString(path: string): string | null {
    const field = this.#locate(path);
    if (!field) return null;
    if (field.isPointer || field.elementSize !== 1) {
      throw corruptError(this.file, `${this.structType}.${path} is not a char array`);
    }
    const bytes = this.data.subarray(field.offset, field.offset + field.size);
    const end = bytes.indexOf(0);
    return utf8.decode(end < 0 ? bytes : bytes.subarray(0, end));
  }

  #locate(path: string): FieldLayout | null {
    const field = resolveFieldPath(this.sdna, this.structType, path);
    if (field && field.offset + field.size > this.data.length) {
      throw corruptError(this.file, `${this.structType}.${path} lies past the end of its ${this.data.length}-byte block`);
    }
    return field;
  }
}
