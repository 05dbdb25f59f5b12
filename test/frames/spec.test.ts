// parseFrameSpec, formatFrameSpec, describeFrames: table tests of what users type and what we print.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { describeFrames, formatFrameSpec, parseFrameSpec, MAX_FRAMES } from '../../src/frames/index.js';
import { UsageError } from '../../src/errors.js';

const range = (a: number, b: number, step = 1) => Array.from({ length: Math.floor((b - a) / step) + 1 }, (_, i) => a + i * step);

const GOOD: [string, number[]][] = [
  ['1', [1]],
  ['0', [0]],
  ['1-5', [1, 2, 3, 4, 5]],
  ['7-7', [7]],
  ['1-10x3', [1, 4, 7, 10]],
  ['1-10x4', [1, 5, 9]],
  ['1-3x10', [1]],
  ['1,5,9-12', [1, 5, 9, 10, 11, 12]],
  ['-5--1', [-5, -4, -3, -2, -1]],
  ['-2-2', [-2, -1, 0, 1, 2]],
  ['-10--1x3', [-10, -7, -4, -1]],
  ['-3', [-3]],
  // duplicates dropped, first occurrence keeps its place
  ['1-3,2-5', [1, 2, 3, 4, 5]],
  ['5,1,5,1', [5, 1]],
  ['10-12,1-2', [10, 11, 12, 1, 2]],
  // whitespace around the spec and around parts
  ['  1-3  ', [1, 2, 3]],
  [' 1 , 5 ,9-10 ', [1, 5, 9, 10]],
  ['\t4\n', [4]],
  ['001-003', [1, 2, 3]],
  ['1-100', range(1, 100)],
  ['1-100x5', range(1, 100, 5)],
];

for (const [spec, frames] of GOOD) {
  test(`parseFrameSpec(${JSON.stringify(spec)})`, () => {
    assert.equal(parseFrameSpec(spec), frames);
  });
}

const BAD: [string, RegExp][] = [
  ['', /empty/],
  ['   ', /empty/],
  ['10-1', /ends before it starts/],
  ['-1--5', /ends before it starts/],
  ['1-10x0', /step .* at least 1/],
  ['a', /is not a frame/],
  ['1-', /is not a frame/],
  ['-', /is not a frame/],
  ['1--', /is not a frame/],
  ['1..10', /is not a frame/],
  ['1-10x', /is not a frame/],
  ['1-10x-2', /is not a frame/],
  ['1,,2', /is not a frame/],
  ['1,', /is not a frame/],
  ['1.5', /is not a frame/],
  ['1 2', /is not a frame/],
  ['1-5:2', /is not a frame/],
  ['0x10', /is not a frame/],
  ['99999999999999999999', /out of range/],
  ['1-99999999999', /more than/],
  [`1-${MAX_FRAMES + 1}`, /more than/],
  ['1-600000,1000000-1600000', /more than/],
];

for (const [spec, message] of BAD) {
  test(`parseFrameSpec(${JSON.stringify(spec)}) is a UsageError naming the spec`, () => {
    try {
      parseFrameSpec(spec);
    } catch (error) {
      assert.instance(error, UsageError);
      const text = (error as Error).message;
      assert.match(text, message);
      if (spec.trim() !== '') assert.ok(text.includes(`'${spec.trim()}'`), `message should name the spec: ${text}`);
      assert.not.match(text, /\n/, 'one line');
      return;
    }
    assert.unreachable(`accepted ${JSON.stringify(spec)}`);
  });
}

test('MAX_FRAMES frames exactly is still accepted, one more is not', () => {
  assert.is(parseFrameSpec(`1-${MAX_FRAMES - 1}`).length, MAX_FRAMES - 1);
  assert.throws(() => parseFrameSpec(`0-${MAX_FRAMES}`), (e: Error) => e instanceof UsageError);
});

const FORMAT: [number[], string][] = [
  [[], ''],
  [[1], '1'],
  [[1, 2], '1-2'],
  [[1, 3], '1,3'],
  [[1, 2, 3], '1-3'],
  [[1, 3, 5], '1-5x2'],
  // regression (found by this suite, fixed in 2f85147): was 1-9x4,10-12
  [[1, 5, 9, 10, 11, 12], '1,5,9-12'],
  [[-5, -4, -3, -2, -1], '-5--1'],
  [[-2, 0, 2, 4], '-2-4x2'],
  [[5, 4, 3], '5,4,3'],
  [[1, 2, 3, 10, 20, 30], '1-3,10-30x10'],
  [[1, 2, 4, 8], '1-2,4,8'],
  [range(1, 100), '1-100'],
  [range(1, 100, 5), '1-96x5'],
];

for (const [frames, spec] of FORMAT) {
  test(`formatFrameSpec(${JSON.stringify(frames.length > 12 ? `${frames.length} frames` : frames)}) = ${JSON.stringify(spec)}`, () => {
    assert.is(formatFrameSpec(frames), spec);
  });
}

const ROUND_TRIPS = ['1', '1-100', '1-100x5', '1,5,9-12', '-5--1', '-10--1x3', '3,1,2', '1-2,4,8', '0-1000x7,2000', '5,10,15,16,17', '-3-3'];

for (const spec of ROUND_TRIPS) {
  test(`parse ∘ format ∘ parse is parse for ${JSON.stringify(spec)}`, () => {
    const frames = parseFrameSpec(spec);
    assert.equal(parseFrameSpec(formatFrameSpec(frames)), frames);
  });
}

test('round trip over many random frame lists', () => {
  let seed = 42;
  const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
  for (let n = 0; n < 500; n++) {
    const frames = [...new Set(Array.from({ length: 1 + Math.floor(rand() * 20) }, () => Math.floor(rand() * 60) - 20))];
    assert.equal(parseFrameSpec(formatFrameSpec(frames)), frames, `frames ${frames}`);
  }
});

const DESCRIBE: [number[], { start: number; end: number; step: number }][] = [
  [[7], { start: 7, end: 7, step: 1 }],
  [[1, 2, 3], { start: 1, end: 3, step: 1 }],
  [[1, 6, 11], { start: 1, end: 11, step: 5 }],
  [[1, 5, 9, 10], { start: 1, end: 10, step: 0 }],
  [[-5, -4], { start: -5, end: -4, step: 1 }],
  [[3, 2, 1], { start: 3, end: 1, step: 0 }],
];

for (const [frames, run] of DESCRIBE) {
  test(`describeFrames(${JSON.stringify(frames)})`, () => {
    assert.equal(describeFrames(frames), run);
  });
}

test.run();
