// Who watches whom (src/liveness/watchers.ts): each holder gets exactly WATCHERS_PER_HOLDER watchers that every
// node agrees on, the load spread over the farm; on a small farm every other node watches.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { WATCHERS_PER_HOLDER, watchesHolder } from '../../src/liveness/watchers.js';

const farm = (n: number) => Array.from({ length: n }, (_, i) => `node-${String(i + 1).padStart(3, '0')}`);

test('200 nodes: each holder has exactly 3 watchers, never itself, and no node watches many', () => {
  const nodes = farm(200);
  const load = new Map(nodes.map((n) => [n, 0]));
  for (const holder of nodes) {
    const watchers = nodes.filter((self) => watchesHolder(self, holder, nodes));
    assert.is(watchers.length, WATCHERS_PER_HOLDER, holder);
    assert.not.ok(watchers.includes(holder));
    for (const w of watchers) load.set(w, load.get(w)! + 1);
  }
  assert.ok(Math.max(...load.values()) <= 12, `most holders watched by one node: ${Math.max(...load.values())}`);
});

test('every node decides alike from the same list, in any order, and counts itself in', () => {
  const nodes = farm(50);
  const shuffled = [...nodes].reverse();
  for (const holder of nodes.slice(0, 10)) {
    for (const self of nodes) assert.is(watchesHolder(self, holder, shuffled), watchesHolder(self, holder, nodes));
    const withoutSelf = nodes.filter((self) => watchesHolder(self, holder, nodes.filter((n) => n !== self)));
    assert.is(withoutSelf.length, WATCHERS_PER_HOLDER);
  }
});

test('up to 4 nodes: every other node watches each holder', () => {
  for (const n of [2, 3, 4]) {
    const nodes = farm(n);
    for (const holder of nodes) for (const self of nodes) assert.is(watchesHolder(self, holder, nodes), self !== holder);
  }
});

test('a node missing from some lists (joined lately, or gone): a holder keeps watchers', () => {
  const nodes = farm(30);
  for (const holder of nodes) {
    const [first] = nodes.filter((self) => watchesHolder(self, holder, nodes));
    // the others have not heard of `first`: they pick another in its place, and `first` still watches
    const others = nodes.filter((n) => n !== first);
    const watchers = nodes.filter((self) => watchesHolder(self, holder, self === first ? nodes : others));
    assert.ok(watchers.length >= WATCHERS_PER_HOLDER, holder);
  }
});

test.run();
