// One duration, size and glob format for the CLI, the ui and the web page: table tests, and the page's
// wrappers (blank when unknown) checked against the same tables.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { formatBytes, formatDuration, globToRegExp } from '../../src/text/index.js';
import * as page from '../../src/web/page/format.js';

const DURATIONS: [number, string][] = [
  [0, '0s'], [499, '0s'], [999, '0s'], [59_999, '59s'], [60_000, '1m00s'], [61_000, '1m01s'], [425_000, '7m05s'], [3_599_999, '59m59s'],
  [3_600_000, '1h00m'], [5_400_000, '1h30m'], [86_399_999, '23h59m'], [86_400_000, '1d00h'], [86_400_000 * 2 + 4 * 3_600_000, '2d04h'],
];
for (const [ms, text] of DURATIONS) {
  test(`formatDuration(${ms}) = ${text}, on the page too`, () => {
    assert.is(formatDuration(ms), text);
    assert.is(page.formatDuration(ms), text);
  });
}

test('an unknown duration is "-" by default, blank on the page', () => {
  for (const ms of [undefined, null, NaN, -1, Infinity]) assert.is(formatDuration(ms), '-');
  assert.is(formatDuration(undefined, ''), '');
  assert.is(page.formatDuration(undefined), '');
  assert.is(page.formatDuration(NaN), '');
});

const SIZES: [number, string][] = [[0, '0B'], [1023, '1023B'], [1024, '1.0K'], [1536, '1.5K'], [10 * 1024, '10K'], [3.25 * 1024 ** 3, '3.3G'], [2 * 1024 ** 5, '2048T']];
for (const [n, text] of SIZES) {
  test(`formatBytes(${n}) = ${text}, on the page too`, () => {
    assert.is(formatBytes(n), text);
    assert.is(page.formatBytes(n), text);
  });
}

test('globs match whole names: * ? [a-c] [!x], regex characters literal', () => {
  const cases: [string, string, boolean][] = [
    ['shot_*', 'shot_010', true], ['shot_*', 'a_shot_010', false], ['s?ot', 'shot', true], ['sh[a-o]t', 'shot', true],
    ['sh[!o]t', 'shot', false], ['a.b', 'axb', false], ['a.b', 'a.b', true], ['(x)', '(x)', true],
  ];
  for (const [glob, name, matches] of cases) assert.is(globToRegExp(glob).test(name), matches, `${glob} ~ ${name}`);
});

test.run();
