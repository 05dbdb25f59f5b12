// The names of running chunk files: the claim they carry, and names that carry none.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { chunkIdOf, parseRunningName, runningFileName } from '../../src/spool/running-names.js';

const claim = { node: 'box-01.studio_a', instance: '0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b', token: 'a1b2c3d4e5f60718' };

test('a claim written into a name reads back whole', () => {
  const name = runningFileName('0007', claim);
  assert.is(name, '0007~box-01.studio_a~0f1e2d3c-4b5a-6978-8a9b-0c1d2e3f4a5b~a1b2c3d4e5f60718.json');
  assert.equal(parseRunningName(name), { chunk: '0007', claim });
  assert.is(chunkIdOf(name), '0007');
});

test('a plain chunk name carries no claim', () => {
  assert.equal(parseRunningName('0007.json'), { chunk: '0007' });
  assert.is(chunkIdOf('0007.json'), '0007');
});

test('temp files, strays and half-made names are no chunk', () => {
  // [name, why it is not a chunk's]
  const cases: [string, string][] = [
    ['.0007.json.123.ab.tmp', 'a temp file'],
    ['0007.txt', 'not json'],
    ['0007~box~inst.json', 'a claim missing its token'],
    ['0007~box~inst~tok~more.json', 'too many parts'],
    ['0007~~inst~tok.json', 'an empty node'],
  ];
  for (const [name, why] of cases) assert.is(parseRunningName(name), null, why);
});

test.run();
