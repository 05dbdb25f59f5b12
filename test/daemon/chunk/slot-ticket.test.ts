// A chunk's slot ticket: at once for a chunk claimed into a free slot; for one claimed ahead, when its node
// grants it a slot — or never, when it is stopped first. Its time starts at the grant.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SlotTicket } from '../../../src/daemon/chunk/slot-ticket.js';
import type { Clock } from '../../../src/liveness/clock.js';

function clockAt(ms: { now: number }): Clock {
  return { monotonicMs: () => ms.now, wallMs: () => ms.now, wallIso: () => new Date(ms.now).toISOString() };
}

test('claimed into a free slot: granted at its claim, nothing to wait for', async () => {
  const ticket = new SlotTicket(clockAt({ now: 50 }), 10, false);
  assert.is(ticket.waiting, false);
  assert.is(ticket.grantedMs, 10);
  await ticket.waitUnless(new AbortController().signal);
});

test('claimed ahead: waits until granted; its time starts at the grant', async () => {
  const time = { now: 10 };
  const ticket = new SlotTicket(clockAt(time), 10, true);
  assert.is(ticket.waiting, true);
  let started = false;
  const wait = ticket.waitUnless(new AbortController().signal).then(() => { started = true; });
  await Promise.resolve();
  assert.is(started, false, 'no slot yet');
  time.now = 250;
  ticket.grantSlot();
  await wait;
  assert.is(ticket.grantedMs, 250);
  ticket.grantSlot();
  assert.is(ticket.grantedMs, 250, 'a second grant changes nothing');
});

test('claimed ahead and stopped before a slot: the wait ends, never granted', async () => {
  const ticket = new SlotTicket(clockAt({ now: 10 }), 10, true);
  const abort = new AbortController();
  const wait = ticket.waitUnless(abort.signal);
  abort.abort();
  await wait;
  assert.is(ticket.waiting, true);
});

test.run();
