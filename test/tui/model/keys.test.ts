import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { actionForKey, helpLines, KEY_BINDINGS, ACTIONS } from '../../../src/tui/model/keys.js';

const keys: [string, string | undefined][] = [
  ['+', 'priorityUp'], ['=', 'priorityUp'], ['-', 'priorityDown'], ['p', 'togglePause'], ['r', 'retry'], ['d', 'remove'],
  ['a', 'add'], ['n', 'nodeControl'], ['/', 'filter'], ['?', 'help'], ['q', 'quit'], ['C-c', 'quit'], ['tab', 'nextPane'],
  ['S-tab', 'previousPane'], ['up', 'up'], ['S-g', 'end'], ['x', undefined],
];
for (const [key, action] of keys) {
  test(`key ${key} → ${action}`, () => assert.is(actionForKey(key), action));
}

test('no key does two things, and every action has a key', () => {
  const all = KEY_BINDINGS.flatMap((b) => b.keys);
  assert.is(new Set(all).size, all.length);
  for (const action of ACTIONS) assert.ok(KEY_BINDINGS.some((b) => b.action === action), action);
});

test('the help fits 80x24 inside its box', () => {
  const lines = helpLines();
  assert.ok(lines.length + 2 + 2 <= 22, `${lines.length} lines`);
  assert.ok(lines.every((l) => l.length <= 74), lines.find((l) => l.length > 74));
  assert.ok(lines.some((l) => l.startsWith('+ -')));
});

test.run();
