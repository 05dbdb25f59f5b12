// parseWholeNumber, parseDuration: table tests; bad values are UsageErrors naming the flag.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseDuration, parseWholeNumber } from '../../src/jobs/values.js';
import { UsageError } from '../../src/errors.js';

const DURATIONS: [string, number][] = [
  ['90', 90_000], ['0', 0], ['1.5', 1500], ['90s', 90_000], ['5m', 300_000], ['1h30m', 5_400_000], ['2d', 172_800_000],
  ['250ms', 250], ['1m30s', 90_000], ['1.5s', 1500], ['0.5m', 30_000], [' 5s ', 5000], ['1h1m1s1ms', 3_661_001],
];

for (const [raw, ms] of DURATIONS) {
  test(`parseDuration(${JSON.stringify(raw)}) = ${ms} ms`, () => {
    assert.is(parseDuration(raw, '--timeout'), ms);
  });
}

const BAD_DURATIONS = ['', 'abc', '5x', 's', '-5s', '5 s', '1h 30m', '5s5', '1e3', 'm5', '5sm', '.5s'];

for (const raw of BAD_DURATIONS) {
  test(`parseDuration(${JSON.stringify(raw)}) is a UsageError naming the flag and the value`, () => {
    assert.throws(() => parseDuration(raw, '--timeout'), (e: Error) => e instanceof UsageError && e.message.includes('--timeout') && e.message.includes(`'${raw}'`));
  });
}

const NUMBERS: [string, number, number, number][] = [
  // raw, min, max, value
  ['0', 0, 10, 0], ['10', 0, 10, 10], [' 7 ', 0, 10, 7], ['+3', 0, 10, 3], ['-5', -10, 10, -5], ['007', 0, 10, 7],
];

for (const [raw, min, max, value] of NUMBERS) {
  test(`parseWholeNumber(${JSON.stringify(raw)}) = ${value}`, () => {
    assert.is(parseWholeNumber(raw, '--chunk', min, max), value);
  });
}

const BAD_NUMBERS: [string, number, number, RegExp][] = [
  ['', 0, 10, /--chunk must be a whole number, got ''/],
  ['1.5', 0, 10, /--chunk must be a whole number, got '1.5'/],
  ['1e3', 0, 10000, /must be a whole number/],
  ['ten', 0, 10, /must be a whole number, got 'ten'/],
  ['0x10', 0, 100, /must be a whole number/],
  ['11', 0, 10, /--chunk must be from 0 to 10, got 11/],
  ['0', 1, 10, /--chunk must be from 1 to 10, got 0/],
  ['-1', 0, 10, /from 0 to 10, got -1/],
  ['99999999999999999999', 0, Number.MAX_SAFE_INTEGER, /from 0 to/],
];

for (const [raw, min, max, message] of BAD_NUMBERS) {
  test(`parseWholeNumber(${JSON.stringify(raw)}, ${min}..${max}) is a UsageError`, () => {
    assert.throws(() => parseWholeNumber(raw, '--chunk', min, max), (e: Error) => e instanceof UsageError && message.test(e.message));
  });
}

test.run();
