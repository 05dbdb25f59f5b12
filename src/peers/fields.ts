// Reading untrusted JSON objects field by field: each reader checks one field and names it on failure.

/** A field that is missing, of the wrong type or out of range; `path` says which one. */
export class ShapeError extends Error {
  constructor(readonly path: string, expected: string, got: unknown) {
    super(`${path}: expected ${expected}, got ${describe(got)}`);
    this.name = 'ShapeError';
  }
}

/**
 * Names, ids and tokens: start with a letter or digit, then letters, digits and `._:@+=-`,
 * at most 128 characters. No `/`, no leading `.`, no spaces or control characters, so a value
 * that passes is safe in a log line and cannot climb out of a directory. Still: look it up
 * among known jobs/chunks, never join it into a path on its own say-so.
 */
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9._:@+=-]{0,127}$/;
/** Free text (reasons, error messages): printable, one line, bounded. */
export const MAX_TEXT_CHARS = 1024;
const CONTROL_CHARS = /[\u0000-\u001f\u007f]/;

export function isPlainObject(raw: unknown): raw is Record<string, unknown> {
  return typeof raw === 'object' && raw !== null && !Array.isArray(raw);
}

/** A reader over one object; `path` prefixes every error (`body.running[2]`). */
export class Fields {
  readonly raw: Record<string, unknown>;
  constructor(raw: unknown, readonly path: string) {
    if (!isPlainObject(raw)) throw new ShapeError(path, 'an object', raw);
    this.raw = raw;
  }

  has(name: string): boolean {
    return this.raw[name] !== undefined;
  }

  name(field: string): string {
    const value = this.raw[field];
    if (typeof value !== 'string' || !SAFE_NAME.test(value)) throw new ShapeError(this.at(field), 'a name (letters, digits, ._:@+=-, at most 128)', value);
    return value;
  }

  text(field: string): string {
    const value = this.raw[field];
    if (typeof value !== 'string' || value.length > MAX_TEXT_CHARS || CONTROL_CHARS.test(value)) {
      throw new ShapeError(this.at(field), `one line of text of at most ${MAX_TEXT_CHARS} characters`, value);
    }
    return value;
  }

  integer(field: string, min: number, max: number): number {
    const value = this.raw[field];
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      throw new ShapeError(this.at(field), `a whole number from ${min} to ${max}`, value);
    }
    return value;
  }

  number(field: string, min: number, max: number): number {
    const value = this.raw[field];
    if (typeof value !== 'number' || !Number.isFinite(value) || value < min || value > max) {
      throw new ShapeError(this.at(field), `a number from ${min} to ${max}`, value);
    }
    return value;
  }

  boolean(field: string): boolean {
    const value = this.raw[field];
    if (typeof value !== 'boolean') throw new ShapeError(this.at(field), 'true or false', value);
    return value;
  }

  oneOf<T extends string>(field: string, allowed: readonly T[]): T {
    const value = this.raw[field];
    if (typeof value !== 'string' || !(allowed as readonly string[]).includes(value)) {
      throw new ShapeError(this.at(field), `one of ${allowed.join(', ')}`, value);
    }
    return value as T;
  }

  list<T>(field: string, maxItems: number, readItem: (item: Fields) => T): T[] {
    const value = this.raw[field];
    if (!Array.isArray(value) || value.length > maxItems) throw new ShapeError(this.at(field), `a list of at most ${maxItems}`, value);
    return value.map((item, index) => readItem(new Fields(item, `${this.at(field)}[${index}]`)));
  }

  object(field: string): Fields {
    return new Fields(this.raw[field], this.at(field));
  }

  /** Reads an optional field: absent (undefined) stays absent; `null` is not absent and fails. */
  optional<T>(field: string, read: (field: string) => T): T | undefined {
    return this.raw[field] === undefined ? undefined : read.call(this, field);
  }

  private at(field: string): string {
    return `${this.path}.${field}`;
  }
}

function describe(value: unknown): string {
  if (value === undefined) return 'nothing';
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'a list';
  if (typeof value === 'string') return value.length > 40 ? 'a long string' : JSON.stringify(value);
  if (typeof value === 'object') return 'an object';
  return String(value);
}
