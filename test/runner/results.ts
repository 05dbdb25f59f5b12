// What one test file's process said: uvu's counts, its failures, and the skips test/support/requires.ts printed.
export interface FileResult {
  name: string;
  seconds: number;
  code: number;
  output: string;
  passed: number;
  failed: number;
  skipped: number;
}

/** uvu's summary of one file; a file that exits badly without one (a crash, a kill) counts one failure. */
export function countsOf(raw: string, code: number): Pick<FileResult, 'passed' | 'failed' | 'skipped'> {
  const plain = raw.replace(/\x1b\[[0-9;]*m/g, '');
  const count = (label: string) => Number(new RegExp(`${label}:\\s+(\\d+)`).exec(plain)?.[1] ?? 0);
  const total = count('Total');
  const passed = count('Passed');
  // uvu's Total counts the tests that ran: skips are outside it
  const failed = Math.max(0, total - passed) || (code !== 0 ? 1 : 0);
  return { passed, failed, skipped: count('Skipped') };
}

/** 'test — needs what: why' for each skip, in order. */
export function skipsIn(plain: string): string[] {
  return plain.split('\n').flatMap((line) => /^\s*SKIP (.*)$/.exec(line)?.[1] ?? []);
}

/** 'file: FAIL suite "test"' for each failure uvu printed, or the file alone when it died without one. */
export function failuresIn(result: FileResult): string[] {
  if (!result.failed) return [];
  const named = result.output.split('\n').filter((line) => /^\s*FAIL\s/.test(line)).map((line) => `${result.name}: ${line.trim()}`);
  return named.length ? named : [`${result.name}: exited ${result.code} without a summary`];
}
