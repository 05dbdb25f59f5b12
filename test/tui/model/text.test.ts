import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ASCII_BARS, UNICODE_BARS, bar, fit, formatDuration, formatFrames, formatPercent } from '../../../src/tui/model/text.js';

const bars: [number, number, string][] = [
  [0, 4, '....'], [0.5, 4, '##..'], [1, 4, '####'], [0.999, 4, '###.'], [2, 3, '###'], [-1, 3, '...'], [NaN, 3, '...'], [0.5, 0, ''],
];
for (const [fraction, width, expected] of bars) {
  test(`bar(${fraction}, ${width}) is '${expected}'`, () => assert.is(bar(fraction, width, ASCII_BARS), expected));
}

test('unicode bars draw blocks', () => assert.is(bar(0.5, 4, UNICODE_BARS), '██░░'));

const fits: [string, number, 'left' | 'right', string][] = [
  ['abc', 5, 'left', 'abc  '], ['abc', 5, 'right', '  abc'], ['abcdef', 4, 'left', 'abc…'], ['abc', 3, 'left', 'abc'], ['abc', 1, 'left', '…'], ['abc', 0, 'left', ''],
];
for (const [text, width, align, expected] of fits) {
  test(`fit('${text}', ${width}, ${align})`, () => assert.is(fit(text, width, align), expected));
}

const durations: [number | undefined, string][] = [
  [undefined, '-'], [-5, '-'], [NaN, '-'], [0, '0s'], [59_999, '59s'], [60_000, '1m00s'], [425_000, '7m05s'],
  [3_600_000, '1h00m'], [11_520_000, '3h12m'], [86_400_000 * 2 + 4 * 3_600_000, '2d04h'],
];
for (const [ms, expected] of durations) {
  test(`formatDuration(${ms}) is ${expected}`, () => assert.is(formatDuration(ms), expected));
}

test('percent never says 100% before the end', () => {
  assert.is(formatPercent(0.999), '99%');
  assert.is(formatPercent(1), '100%');
  assert.is(formatPercent(0), '0%');
  assert.is(formatPercent(0.5), '50%');
});

const frames: [number[], string][] = [[[], ''], [[7], '7'], [[1, 2, 3], '1-3'], [[1, 3, 5], '1-5x2'], [[1, 5, 9, 10], '1,5,9,10']];
for (const [list, expected] of frames) {
  test(`formatFrames(${list.join(',')}) is '${expected}'`, () => assert.is(formatFrames(list), expected));
}

test.run();
