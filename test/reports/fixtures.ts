// Stat lines for the report tests: a default attempt, overridden per test.
import type { AttemptStat } from '../../src/reports/index.js';

export const T0 = Date.parse('2024-05-01T10:00:00.000Z');

/** A done attempt of 4 frames that ends `endS` seconds after T0 and ran `durS` seconds. */
export function stat(overrides: Partial<AttemptStat> & { endS?: number; durS?: number } = {}): AttemptStat {
  const { endS = 60, durS = 20, ...rest } = overrides;
  const end = T0 + endS * 1000;
  return {
    v: 1,
    job: 'j1',
    jobName: 'shot 10',
    owner: 'ana',
    chunk: '0001',
    frames: 4,
    frameSpec: '1-4',
    attempt: 1,
    node: 'n1',
    host: 'box1',
    slots: 1,
    start: new Date(end - durS * 1000).toISOString(),
    end: new Date(end).toISOString(),
    durationMs: durS * 1000,
    outcome: 'done',
    framesDone: 4,
    ...rest,
  };
}
