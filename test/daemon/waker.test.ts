// The loop's sleep: a wake-up ends it early and says so; a wake-up during a round skips the next sleep.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Waker } from '../../src/daemon/waker.js';

test('woken while asleep: resolves true at once, long before its time is up', async () => {
  const waker = new Waker();
  const started = performance.now();
  const slept = waker.sleep(60_000);
  waker.wake();
  assert.is(await slept, true);
  assert.ok(performance.now() - started < 1000);
});

test('not woken: resolves false when its time is up', async () => {
  assert.is(await new Waker().sleep(5), false);
});

test('a wake-up during a round is remembered until the next round begins', () => {
  const waker = new Waker();
  waker.beginRound();
  assert.is(waker.wokenThisRound, false);
  waker.wake();
  assert.is(waker.wokenThisRound, true, 'the loop skips its sleep');
  waker.beginRound();
  assert.is(waker.wokenThisRound, false);
});

test('a wake-up before a sleep does not end a later sleep', async () => {
  const waker = new Waker();
  waker.wake();
  assert.is(await waker.sleep(5), false);
});

test('only a wake from outside the node\'s own chunks is news for the finder (active/ listed again)', async () => {
  const waker = new Waker();
  assert.is(waker.takeNews(), true, 'the first look lists');
  assert.is(waker.takeNews(), false, 'taken once');
  const slept = waker.sleep(60_000);
  waker.wakeForOwnChunk();
  assert.is(await slept, true, 'a chunk of ours ending wakes the loop');
  assert.is(waker.takeNews(), false, 'but is no news of the spool');
  waker.wakeForOwnChunk();
  waker.wake();
  assert.is(waker.takeNews(), true, 'a spool change, a peer or a control is');
});

test.run();
