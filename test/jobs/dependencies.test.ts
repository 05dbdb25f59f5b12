// --after JOB (start once JOB is done) and --after JOB:any (once JOB has ended, done or failed): which
// dependency states let a job start. Pure table tests; a removed dependency never counts as done.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { dependenciesMet, type DependencyState } from '../../src/jobs/dependencies.js';

const ALL: DependencyState[] = ['queued', 'running', 'paused', 'done', 'failed', 'broken', 'removed'];

// state of the one dependency → met for --after A, met for --after A:any
const SINGLE: Record<DependencyState, [boolean, boolean]> = {
  queued: [false, false],
  running: [false, false],
  paused: [false, false],
  done: [true, true],
  failed: [false, true],
  // unreadable for now: it may read again, so its dependants wait
  broken: [false, false],
  // gone: nothing will ever be done, but it will not run again either
  removed: [false, true],
};

for (const state of ALL) {
  const [after, afterAny] = SINGLE[state];
  test(`--after A with A ${state} → ${after ? 'may start' : 'waits'}`, () => {
    assert.is(dependenciesMet({ after: ['A'], afterAny: undefined }, () => state), after);
  });
  test(`--after A:any with A ${state} → ${afterAny ? 'may start' : 'waits'}`, () => {
    assert.is(dependenciesMet({ after: [], afterAny: ['A'] }, () => state), afterAny);
  });
}

const states = (map: Record<string, DependencyState>) => (id: string) => {
  if (!(id in map)) throw new Error(`asked for unknown job ${id}`);
  return map[id];
};

// [case, after, afterAny, states, met]
const MIXED: [string, string[], string[] | undefined, Record<string, DependencyState>, boolean][] = [
  ['no dependencies', [], undefined, {}, true],
  ['no dependencies, empty afterAny', [], [], {}, true],
  ['two done', ['A', 'B'], undefined, { A: 'done', B: 'done' }, true],
  ['one of two still running', ['A', 'B'], undefined, { A: 'done', B: 'running' }, false],
  ['one of two failed', ['A', 'B'], undefined, { A: 'failed', B: 'done' }, false],
  ['after done and any failed', ['A'], ['B'], { A: 'done', B: 'failed' }, true],
  ['after done and any still queued', ['A'], ['B'], { A: 'done', B: 'queued' }, false],
  ['after running and any done', ['A'], ['B'], { A: 'running', B: 'done' }, false],
  ['any of two: failed and removed', [], ['A', 'B'], { A: 'failed', B: 'removed' }, true],
  ['any of two: one paused', [], ['A', 'B'], { A: 'failed', B: 'paused' }, false],
  ['after a removed job, any done', ['A'], ['B'], { A: 'removed', B: 'done' }, false],
];

for (const [name, after, afterAny, map, met] of MIXED) {
  test(`dependenciesMet: ${name} → ${met}`, () => {
    assert.is(dependenciesMet({ after, afterAny }, states(map)), met);
  });
}

test.run();
