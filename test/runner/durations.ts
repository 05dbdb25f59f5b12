// Each test file's time in the last recorded run (test/durations.json): only the order of a run depends on it.
import { readFileSync } from 'node:fs';

export type Durations = Record<string, number>;

// a file not yet recorded: placed as a middling one
const UNKNOWN_FILE_S = 5;

export function readDurations(file: string): Durations {
  try {
    return JSON.parse(readFileSync(file, 'utf8')) as Durations;
  } catch {
    return {}; // no record yet (or a broken one): alphabetical order is as correct, only slower
  }
}

/** Longest first: two lanes finish together when the long files start early. */
export function orderLongestFirst(names: string[], known: Durations): string[] {
  const seconds = (name: string) => known[name] ?? UNKNOWN_FILE_S;
  return [...names].sort((a, b) => seconds(b) - seconds(a) || a.localeCompare(b));
}
