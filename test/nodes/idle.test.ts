// --idle-only: the machine counts as free when nobody typed for long enough and the load, less our own
// renders, is low enough. Pure table tests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isMachineIdle, type IdlePolicy } from '../../src/nodes/idle.js';

const MIN = 60_000;
const TEN_MIN: IdlePolicy = { inputIdleMs: 10 * MIN };
const WITH_LOAD: IdlePolicy = { inputIdleMs: 10 * MIN, maxLoad: 1 };

// [case, policy, ms since input, load1, our running renders, idle?]
const CASES: [string, IdlePolicy, number, number, number, boolean][] = [
  ['typed a minute ago', TEN_MIN, MIN, 0, 0, false],
  ['typed just under the limit', TEN_MIN, 10 * MIN - 1, 0, 0, false],
  ['exactly the limit', TEN_MIN, 10 * MIN, 0, 0, true],
  ['long ago, no load limit, heavy load', TEN_MIN, 60 * MIN, 8, 0, true],
  ['no terminal ever (Infinity)', TEN_MIN, Infinity, 0, 0, true],
  ['zero minutes: always idle', { inputIdleMs: 0 }, 0, 0, 0, true],
  ['away, load under the limit', WITH_LOAD, 20 * MIN, 0.5, 0, true],
  ['away, load at the limit', WITH_LOAD, 20 * MIN, 1, 0, true],
  ['away, load over the limit', WITH_LOAD, 20 * MIN, 1.5, 0, false],
  ['away, load over the limit but all of it ours', WITH_LOAD, 20 * MIN, 3, 2, true],
  ['away, our renders explain only part of the load', WITH_LOAD, 20 * MIN, 3.5, 2, false],
  ['typing, load low: still not idle', WITH_LOAD, MIN, 0, 0, false],
  ['load limit zero, nothing else running', { inputIdleMs: 0, maxLoad: 0 }, 0, 1, 1, true],
];

for (const [name, policy, sinceInput, load, own, idle] of CASES) {
  test(`isMachineIdle: ${name} → ${idle}`, () => {
    assert.is(isMachineIdle(policy, sinceInput, load, own), idle);
  });
}

test.run();
