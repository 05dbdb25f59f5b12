import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { cleanLogLine, maxLogScroll, tailLogLines } from '../../../src/tui/model/log.js';

const lines: [string, string][] = [
  ['plain', 'plain'],
  ['Fra:1 Sample 1/128\rFra:1 Sample 64/128\rFra:1 Sample 128/128', 'Fra:1 Sample 128/128'],
  ['windows line\r', 'windows line'],
  ['\x1b[31mred\x1b[0m text', 'red text'],
  ['\x1b]0;title\x07after', 'after'],
  ['tab\there', 'tab    here'],
  ['bell\x07 and \x00nul', 'bell and nul'],
];
for (const [raw, expected] of lines) {
  test(`cleanLogLine(${JSON.stringify(raw)})`, () => assert.is(cleanLogLine(raw), expected));
}

const TEXT = Array.from({ length: 10 }, (_, i) => `line ${i}`).join('\n') + '\n';

test('the tail, scrolled, filtered', () => {
  assert.equal(tailLogLines(TEXT, 3), ['line 7', 'line 8', 'line 9']);
  assert.equal(tailLogLines(TEXT, 3, 2), ['line 5', 'line 6', 'line 7']);
  assert.equal(tailLogLines(TEXT, 3, 100), ['line 0', 'line 1', 'line 2'], 'scrolling stops at the top');
  assert.equal(tailLogLines(TEXT, 20), TEXT.trim().split('\n'));
  assert.equal(tailLogLines(TEXT, 3, 0, 'LINE 4'), ['line 4']);
  assert.equal(tailLogLines('', 3), []);
});

test('maxLogScroll: until the first line is at the top', () => {
  assert.is(maxLogScroll(TEXT, 3), 7);
  assert.is(maxLogScroll(TEXT, 30), 0);
});

test.run();
