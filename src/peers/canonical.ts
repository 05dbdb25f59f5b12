// Canonical JSON: the exact bytes a frame's MAC covers, so sender and receiver agree byte for byte.
//
// Rules: object keys sorted by UTF-16 code units (JS's default sort), no whitespace, arrays in
// order, strings/numbers/booleans/null exactly as JSON.stringify writes them, keys whose value
// is undefined left out. Non-finite numbers and anything that is not JSON are refused.

/** Deeper nesting than any message needs; bounds recursion on hostile-but-signed input. */
export const MAX_CANONICAL_DEPTH = 16;

export function canonicalJson(value: unknown): string {
  return writeValue(value, 0);
}

function writeValue(value: unknown, depth: number): string {
  if (depth > MAX_CANONICAL_DEPTH) throw new TypeError(`nested deeper than ${MAX_CANONICAL_DEPTH} levels`);
  if (value === null || typeof value === 'boolean' || typeof value === 'string') return JSON.stringify(value);
  if (typeof value === 'number') {
    if (!Number.isFinite(value)) throw new TypeError(`${value} is not a JSON number`);
    return JSON.stringify(value);
  }
  if (Array.isArray(value)) return `[${value.map((item) => writeValue(item, depth + 1)).join(',')}]`;
  if (typeof value === 'object') {
    const record = value as Record<string, unknown>;
    const parts: string[] = [];
    for (const key of Object.keys(record).sort()) {
      if (record[key] === undefined) continue;
      parts.push(`${JSON.stringify(key)}:${writeValue(record[key], depth + 1)}`);
    }
    return `{${parts.join(',')}}`;
  }
  throw new TypeError(`a ${typeof value} is not JSON`);
}
