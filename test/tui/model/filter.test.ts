import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { matchesFilter, parseFilter } from '../../../src/tui/model/filter.js';

const record = { id: 'mwq06bgorm8x', name: 'Shot_010-final', owner: 'ana', state: 'running', pool: undefined };

const cases: [string, boolean][] = [
  ['', true],
  ['shot', true],
  ['SHOT final', true],
  ['shot nope', false],
  ['state:run', true],
  ['state:done', false],
  ['owner:ana shot', true],
  ['!done', true],
  ['!running', false],
  ['!state:running', false],
  ['pool:gpu', false],
  ['mwq06', true],
  ['unknown:x', false],
];
for (const [filter, expected] of cases) {
  test(`'${filter}' ${expected ? 'matches' : 'does not match'}`, () => assert.is(matchesFilter(parseFilter(filter), record), expected));
}

test('parseFilter: words, fields and negation; an empty word is dropped', () => {
  assert.equal(parseFilter('  Foo  state:Run !bar ! x: '), [
    { text: 'foo', negate: false },
    { field: 'state', text: 'run', negate: false },
    { text: 'bar', negate: true },
  ]);
});

test.run();
