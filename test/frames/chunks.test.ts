// splitIntoChunks and chunkId: table tests.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chunkId, parseFrameSpec, splitIntoChunks } from '../../src/frames/index.js';
import { UsageError } from '../../src/errors.js';

const SPLITS: [string, number, number[][]][] = [
  ['1-10', 10, [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]],
  ['1-10', 3, [[1, 2, 3], [4, 5, 6], [7, 8, 9], [10]]],
  ['1-10', 100, [[1, 2, 3, 4, 5, 6, 7, 8, 9, 10]]],
  ['1-3', 1, [[1], [2], [3]]],
  ['1-10x3', 2, [[1, 4], [7, 10]]],
  ['1,5,9-12', 4, [[1, 5, 9, 10], [11, 12]]],
  ['-5--1', 2, [[-5, -4], [-3, -2], [-1]]],
  ['7', 5, [[7]]],
];

for (const [spec, size, chunks] of SPLITS) {
  test(`splitIntoChunks(${spec}, ${size})`, () => {
    assert.equal(splitIntoChunks(parseFrameSpec(spec), size), chunks);
  });
}

test('splitIntoChunks of no frames is no chunks', () => {
  assert.equal(splitIntoChunks([], 3), []);
});

test('chunks keep every frame once, in order, each at most `size` long', () => {
  const frames = parseFrameSpec('1-997');
  for (const size of [1, 2, 7, 10, 996, 997, 998]) {
    const chunks = splitIntoChunks(frames, size);
    assert.equal(chunks.flat(), frames);
    assert.ok(chunks.every((c) => c.length >= 1 && c.length <= size));
    assert.is(chunks.length, Math.ceil(997 / size));
  }
});

for (const size of [0, -1, 1.5, Number.NaN, Infinity]) {
  test(`splitIntoChunks with size ${size} is a UsageError naming it`, () => {
    assert.throws(() => splitIntoChunks([1, 2], size), (e: Error) => e instanceof UsageError && e.message.includes(String(size)));
  });
}

const IDS: [number, number, string][] = [
  [0, 1, '0001'],
  [9, 10, '0010'],
  [0, 9999, '0001'],
  [9998, 9999, '9999'],
  [0, 10000, '00001'],
  [9999, 10000, '10000'],
  [41, 123456, '000042'],
];

for (const [index, total, id] of IDS) {
  test(`chunkId(${index}, ${total}) = ${id}`, () => {
    assert.is(chunkId(index, total), id);
  });
}

test('chunk ids sort in chunk order and are all distinct', () => {
  for (const total of [5, 2000, 12345]) {
    const ids = Array.from({ length: total }, (_, i) => chunkId(i, total));
    assert.equal([...ids].sort(), ids);
    assert.is(new Set(ids).size, total);
  }
});

test.run();
