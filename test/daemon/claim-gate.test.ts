// The claim gate and the slot step: pure functions of the node's state, lease, --schedule, the user's
// presence and the time, and of its slots — every case a row.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { claimGate, describeGate, slotStep, type GateInput, type SlotInput, type SlotStep } from '../../src/daemon/claim-gate.js';
import { parseSchedule } from '../../src/daemon/schedule.js';

const NIGHTS = parseSchedule('mon-fri 19:00-08:00');
// Monday 23 November 2026, local time (the local-time constructor: the table holds in any time zone)
const MONDAY_NOON = new Date(2026, 10, 23, 12, 0);
const MONDAY_NIGHT = new Date(2026, 10, 23, 22, 0);

const OPEN: GateInput = { state: 'running', leaseValid: true, schedule: undefined, userAway: true, now: MONDAY_NOON };

// [why, input, the line it is described by]
const GATES: [string, Partial<GateInput>, string][] = [
  ['running, no schedule, nobody at the machine: open', {}, 'claim gate: open'],
  ['paused', { state: 'paused' }, 'claim gate: closed (paused)'],
  ['draining', { state: 'draining' }, 'claim gate: closed (draining)'],
  ['stopping', { state: 'stopping' }, 'claim gate: closed (stopping)'],
  ['outside its window', { schedule: NIGHTS }, 'claim gate: closed (outside its schedule window)'],
  ['inside its window', { schedule: NIGHTS, now: MONDAY_NIGHT }, 'claim gate: open'],
  ['somebody at the machine (--idle-only)', { userAway: false }, 'claim gate: closed (somebody at the machine)'],
  ['lease not valid: hooks would not run', { leaseValid: false }, 'claim gate: closed (lease not valid)'],
  ['paused wins over the schedule', { state: 'paused', schedule: NIGHTS }, 'claim gate: closed (paused)'],
  ['the schedule wins over the user', { schedule: NIGHTS, userAway: false }, 'claim gate: closed (outside its schedule window)'],
  ['the user wins over the lease', { userAway: false, leaseValid: false }, 'claim gate: closed (somebody at the machine)'],
];

for (const [why, change, line] of GATES) {
  test(`gate: ${why}`, () => {
    const gate = claimGate({ ...OPEN, ...change });
    assert.is(describeGate(gate), line);
    assert.is(gate.open, line === 'claim gate: open');
  });
}

// [why, input, step]
const STEPS: [string, SlotInput, SlotStep][] = [
  ['a free slot and an open gate: claim', { gateOpen: true, waiting: false, freeSlot: true, mayClaimAhead: false }, 'claim'],
  ['slots full of short chunks: claim ahead', { gateOpen: true, waiting: false, freeSlot: false, mayClaimAhead: true }, 'claim'],
  ['slots full, not short: rest', { gateOpen: true, waiting: false, freeSlot: false, mayClaimAhead: false }, 'rest'],
  ['gate closed, nothing waits: rest', { gateOpen: false, waiting: false, freeSlot: true, mayClaimAhead: false }, 'rest'],
  ['gate closed with a chunk claimed ahead: it goes back', { gateOpen: false, waiting: true, freeSlot: true, mayClaimAhead: false }, 'give back the waiting chunk'],
  ['a slot freed for the chunk claimed ahead: granted', { gateOpen: true, waiting: true, freeSlot: true, mayClaimAhead: false }, 'grant the waiting chunk'],
  ['a chunk waits and no slot is free: rest, never a second ahead', { gateOpen: true, waiting: true, freeSlot: false, mayClaimAhead: true }, 'rest'],
];

for (const [why, input, step] of STEPS) {
  test(`slots: ${why}`, () => {
    assert.is(slotStep(input), step);
  });
}

test.run();
