// The `/` filter: words that must all match. `word` matches any field, `key:word` one field,
// `!word` or `!key:word` excludes. Case-insensitive substrings, so `/ren` finds "render-final".

export interface FilterTerm {
  field?: string;
  text: string;
  negate: boolean;
}

export function parseFilter(raw: string): FilterTerm[] {
  return raw.trim().toLowerCase().split(/\s+/).filter(Boolean).flatMap((word) => {
    const negate = word.startsWith('!');
    const body = negate ? word.slice(1) : word;
    const colon = body.indexOf(':');
    const term = colon > 0 ? { field: body.slice(0, colon), text: body.slice(colon + 1), negate } : { text: body, negate };
    return term.text === '' ? [] : [term];
  });
}

/** Whether a record, given as its searchable fields, passes every term. No terms: everything passes. */
export function matchesFilter(terms: readonly FilterTerm[], fields: Readonly<Record<string, string | undefined>>): boolean {
  for (const term of terms) {
    const values = term.field === undefined ? Object.values(fields) : [fields[term.field]];
    const hit = values.some((v) => v !== undefined && v.toLowerCase().includes(term.text));
    if (hit === term.negate) return false;
  }
  return true;
}
