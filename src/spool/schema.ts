// Small validators for spool records: each returns the typed value or throws naming the bad field.

export class SchemaViolation extends Error {}

export type Check<T> = (value: unknown, where: string) => T;

function fail(where: string, expected: string, value: unknown): never {
  const got = value === null ? 'null' : Array.isArray(value) ? 'array' : typeof value;
  throw new SchemaViolation(`${where}: expected ${expected}, got ${got}`);
}

export const string = (maxLength = 4096): Check<string> => (value, where) => {
  if (typeof value !== 'string') fail(where, 'a string', value);
  if (value.length > maxLength) throw new SchemaViolation(`${where}: longer than ${maxLength} characters`);
  return value;
};

export const integer: Check<number> = (value, where) => {
  if (typeof value !== 'number' || !Number.isSafeInteger(value)) fail(where, 'an integer', value);
  return value;
};

export const number: Check<number> = (value, where) => {
  if (typeof value !== 'number' || !Number.isFinite(value)) fail(where, 'a number', value);
  return value;
};

export const boolean: Check<boolean> = (value, where) => {
  if (typeof value !== 'boolean') fail(where, 'true or false', value);
  return value;
};

export const literal = <T extends string | number>(...allowed: T[]): Check<T> => (value, where) => {
  if (!allowed.includes(value as T)) fail(where, `one of ${allowed.join(', ')}`, value);
  return value as T;
};

export const matching = (pattern: RegExp, what: string): Check<string> => (value, where) => {
  if (typeof value !== 'string' || !pattern.test(value)) fail(where, what, value);
  return value;
};

export type OptionalCheck<T> = Check<T | undefined> & { optional: true };

export const optional = <T>(check: Check<T>): OptionalCheck<T> =>
  Object.assign((value: unknown, where: string) => (value === undefined || value === null ? undefined : check(value, where)), { optional: true as const });

export const array = <T>(check: Check<T>, maxLength = 100_000): Check<T[]> => (value, where) => {
  if (!Array.isArray(value)) fail(where, 'an array', value);
  if (value.length > maxLength) throw new SchemaViolation(`${where}: more than ${maxLength} entries`);
  return value.map((item, i) => check(item, `${where}[${i}]`));
};

type Shape = Record<string, Check<unknown>>;
type Simplify<T> = { [K in keyof T]: T[K] };
type Of<S extends Shape> = Simplify<
  { [K in keyof S as S[K] extends { optional: true } ? never : K]: ReturnType<S[K]> } &
  { [K in keyof S as S[K] extends { optional: true } ? K : never]?: Exclude<ReturnType<S[K]>, undefined> }
>;

/** An object with the given fields; unknown fields are kept (newer writers may add some). */
export const object = <S extends Shape>(shape: S): Check<Of<S>> => (value, where) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'an object', value);
  const input = value as Record<string, unknown>;
  const result: Record<string, unknown> = { ...input };
  for (const [key, check] of Object.entries(shape)) {
    const checked = check(input[key], where ? `${where}.${key}` : key);
    if (checked === undefined) delete result[key];
    else result[key] = checked;
  }
  return result as Of<S>;
};

export const record = <T>(check: Check<T>): Check<Record<string, T>> => (value, where) => {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) fail(where, 'an object', value);
  const result: Record<string, T> = {};
  for (const [key, item] of Object.entries(value as Record<string, unknown>)) result[key] = check(item, `${where}.${key}`);
  return result;
};
