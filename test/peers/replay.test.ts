import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ReplayGuard, TS_WINDOW_MS } from '../../src/peers/replay.js';
import { FakeClock, T0_WALL_MS } from './helpers.js';

const MINUTE_MS = 60_000;

test('fresh, then replayed; stale either side of the window', () => {
  const clock = new FakeClock();
  const guard = new ReplayGuard();
  assert.is(guard.check('aaaaaaaaaaaaaaaa', T0_WALL_MS, clock.reading()), 'fresh');
  assert.is(guard.check('aaaaaaaaaaaaaaaa', T0_WALL_MS, clock.reading()), 'replayed');
  assert.is(guard.check('bbbbbbbbbbbbbbbb', T0_WALL_MS - TS_WINDOW_MS - 1, clock.reading()), 'stale');
  assert.is(guard.check('cccccccccccccccc', T0_WALL_MS + TS_WINDOW_MS + 1, clock.reading()), 'stale');
  assert.is(guard.check('dddddddddddddddd', T0_WALL_MS + TS_WINDOW_MS, clock.reading()), 'fresh', 'the edge is inside');
  assert.is(guard.size, 2, 'stale frames are not remembered');
});

test('a nonce is forgotten once it is both old on the monotonic clock and stale by the wall clock', () => {
  const clock = new FakeClock();
  const guard = new ReplayGuard();
  guard.check('aaaaaaaaaaaaaaaa', T0_WALL_MS, clock.reading());
  clock.advance(TS_WINDOW_MS + MINUTE_MS);
  guard.check('zzzzzzzzzzzzzzzz', clock.wall, clock.reading()); // any check sweeps
  assert.is(guard.size, 1);
  assert.is(guard.evictedEarly, 0);
});

test('a wall clock stepped back keeps nonces that could be replayed again', () => {
  const clock = new FakeClock();
  const guard = new ReplayGuard();
  guard.check('aaaaaaaaaaaaaaaa', T0_WALL_MS, clock.reading());
  clock.mono += 2 * TS_WINDOW_MS; // a long time passes...
  clock.wall -= 5 * MINUTE_MS; // ...while the wall clock was stepped back
  assert.is(guard.check('aaaaaaaaaaaaaaaa', T0_WALL_MS, clock.reading()), 'replayed');
});

test('a wall clock stepped forward does not wipe the memory early', () => {
  const clock = new FakeClock();
  const guard = new ReplayGuard();
  guard.check('aaaaaaaaaaaaaaaa', T0_WALL_MS, clock.reading());
  clock.wall += 60 * MINUTE_MS;
  guard.check('bbbbbbbbbbbbbbbb', clock.wall, clock.reading());
  clock.wall -= 60 * MINUTE_MS;
  clock.mono += MINUTE_MS;
  assert.is(guard.check('aaaaaaaaaaaaaaaa', T0_WALL_MS, clock.reading()), 'replayed');
});

test('memory is capped: a flood evicts the oldest and counts what was forgotten early', () => {
  const clock = new FakeClock();
  const guard = new ReplayGuard({ maxEntries: 100 });
  for (let i = 0; i < 10_000; i++) {
    assert.is(guard.check(`flood-${String(i).padStart(12, '0')}`, clock.wall, clock.reading()), 'fresh');
    clock.mono += 1;
  }
  assert.is(guard.size, 100);
  assert.is(guard.evictedEarly, 9_900);
  assert.is(guard.check(`flood-${String(9_999).padStart(12, '0')}`, clock.wall, clock.reading()), 'replayed', 'recent ones are still known');
});

test('bad options are TypeErrors naming the option', () => {
  assert.throws(() => new ReplayGuard({ maxEntries: 0 }), /maxEntries/);
  assert.throws(() => new ReplayGuard({ windowMs: -1 }), /windowMs/);
});

test.run();
