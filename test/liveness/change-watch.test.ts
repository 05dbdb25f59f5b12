// ChangeWatch: "unchanged for a window of the observer's monotonic clock", with a fake clock (plain numbers).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChangeWatch } from '../../src/liveness/change-watch.js';

const WINDOW = 1000;

type Step = [nowMs: number, value: string, expected: boolean, why: string];

const SCENARIOS: [string, Step[]][] = [
  ['first sighting is never stale, even at a huge time', [
    [1e12, 'a', false, 'first sighting'],
  ]],
  ['window not elapsed', [
    [0, 'a', false, 'first sighting'],
    [500, 'a', false, 'half the window'],
    [999, 'a', false, '1 ms short'],
  ]],
  ['window elapsed', [
    [0, 'a', false, 'first sighting'],
    [1000, 'a', true, 'exactly the window'],
    [5000, 'a', true, 'still unchanged'],
  ]],
  ['a changed value restarts the window', [
    [0, 'a', false, 'first'],
    [900, 'b', false, 'changed'],
    [1500, 'b', false, 'only 600 ms since the change'],
    [1900, 'b', true, 'window since the change'],
  ]],
  ['a value that changes back is still a change', [
    [0, 'a', false, 'first'],
    [600, 'b', false, 'changed'],
    [1200, 'a', false, 'changed back'],
    [2100, 'a', false, '900 ms since'],
    [2200, 'a', true, 'window'],
  ]],
  ['stale, then it moves again: alive again', [
    [0, 'a', false, 'first'],
    [2000, 'a', true, 'stale'],
    [2001, 'b', false, 'moved'],
  ]],
  ['a clock that jumps far ahead between looks only counts our own elapsed time', [
    [100, 'x', false, 'first'],
    [100 + WINDOW * 1000, 'x', true, 'a long time on our clock'],
  ]],
];

for (const [name, steps] of SCENARIOS) {
  test(`ChangeWatch: ${name}`, () => {
    const watch = new ChangeWatch<string>(WINDOW);
    for (const [now, value, expected, why] of steps) assert.is(watch.isUnchangedFor('k', value, now), expected, `at ${now} (${why})`);
  });
}

test('unchangedMs says how long the value has stayed; quietMs reads it without looking', () => {
  const watch = new ChangeWatch<string>(WINDOW);
  assert.is(watch.quietMs('k', 50), 0, 'never seen');
  assert.is(watch.unchangedMs('k', 'a', 100), 0, 'first sighting');
  assert.is(watch.unchangedMs('k', 'a', 400), 300);
  assert.is(watch.quietMs('k', 700), 600);
  assert.is(watch.unchangedMs('k', 'b', 800), 0, 'changed');
  assert.is(watch.quietMs('k', 900), 100);
});

test('keys are watched independently', () => {
  const watch = new ChangeWatch<string>(WINDOW);
  watch.isUnchangedFor('a', '1', 0);
  watch.isUnchangedFor('b', '1', 800);
  assert.is(watch.isUnchangedFor('a', '1', 1000), true);
  assert.is(watch.isUnchangedFor('b', '1', 1000), false);
  assert.is(watch.isUnchangedFor('b', '1', 1800), true);
});

test('forget: the next look is a first sighting again', () => {
  const watch = new ChangeWatch<string>(WINDOW);
  watch.isUnchangedFor('k', 'v', 0);
  assert.is(watch.isUnchangedFor('k', 'v', 2000), true);
  watch.forget('k');
  assert.is(watch.isUnchangedFor('k', 'v', 2001), false);
  assert.is(watch.isUnchangedFor('k', 'v', 3001), true);
});

test('prune drops only entries nobody looked at for more than 3 windows', () => {
  const watch = new ChangeWatch<string>(WINDOW);
  watch.isUnchangedFor('old', 'v', 0);
  watch.isUnchangedFor('fresh', 'v', 0);
  watch.isUnchangedFor('fresh', 'v', 2500);
  watch.prune(3500);
  assert.is(watch.isUnchangedFor('old', 'v', 3500), false, 'old was pruned: first sighting again');
  assert.is(watch.isUnchangedFor('fresh', 'v', 3500), true, 'fresh kept its window');
});

test('a full map prunes and stays bounded; a pruned key is never judged stale early', () => {
  const watch = new ChangeWatch<number>(WINDOW, 10);
  for (let i = 0; i < 100; i++) watch.isUnchangedFor(i, 'v', i);
  // nobody looked long enough at anything to call it stale
  for (let i = 0; i < 100; i++) assert.is(watch.isUnchangedFor(i, 'v', 200), false, `key ${i}`);
});

test.run();
