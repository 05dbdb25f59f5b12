import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { browserEntries, browserTitle } from '../../../src/tui/model/browser.js';

const RAW = [
  { name: 'shot_b.blend', isDirectory: false },
  { name: 'renders', isDirectory: true },
  { name: '.cache', isDirectory: true },
  { name: 'notes.txt', isDirectory: false },
  { name: 'Shot_A.BLEND', isDirectory: false },
  { name: 'assets', isDirectory: true },
  { name: 'shot_b.blend1', isDirectory: false },
];

test('parent, folders, then .blend files; hidden and other files left out', () => {
  assert.equal(browserEntries('/proj', RAW).map((e) => `${e.kind}:${e.name}`), ['parent:../', 'dir:assets/', 'dir:renders/', 'blend:shot_b.blend', 'blend:Shot_A.BLEND'].sort((a, b) => {
    const rank = (s: string) => ['parent', 'dir', 'blend'].indexOf(s.split(':')[0]);
    return rank(a) - rank(b) || a.split(':')[1].localeCompare(b.split(':')[1]);
  }));
  assert.is(browserEntries('/proj', RAW).find((e) => e.kind === 'blend')!.path.startsWith('/proj/'), true);
});

test('hidden ones on request; no parent at the root', () => {
  assert.ok(browserEntries('/proj', RAW, true).some((e) => e.name === '.cache/'));
  assert.not.ok(browserEntries('/', RAW).some((e) => e.kind === 'parent'));
});

test('a long path loses its start in the title', () => {
  assert.is(browserTitle('/a/b', 10), '/a/b');
  assert.is(browserTitle('/very/long/project/path', 10), '…ject/path');
});

test.run();
