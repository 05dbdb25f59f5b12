// Whether this node may take new work now: a pure function of its state, its lease, its --schedule, the
// user's presence (--idle-only) and the time, so every case is a row of a table test (claim-gate.test.ts).
import type { NodeRecord } from '../spool/records.js';
import { isWithinSchedule, type ScheduleWindow } from './schedule.js';

export interface GateInput {
  state: NodeRecord['state'];
  /** Its lease is being refreshed: hooks it starts would run (hooks/lease.ts). */
  leaseValid: boolean;
  schedule: readonly ScheduleWindow[] | undefined;
  /** --idle-only: nobody at the machine (true without --idle-only). */
  userAway: boolean;
  /** Local wall time, for the schedule's windows. */
  now: Date;
}

export type GateClosed = 'paused' | 'draining' | 'stopping' | 'outside its schedule window' | 'somebody at the machine' | 'lease not valid';
export type Gate = { open: true } | { open: false; reason: GateClosed };

export function claimGate(input: GateInput): Gate {
  if (input.state !== 'running') return { open: false, reason: input.state };
  if (input.schedule && !isWithinSchedule(input.schedule, input.now)) return { open: false, reason: 'outside its schedule window' };
  if (!input.userAway) return { open: false, reason: 'somebody at the machine' };
  if (!input.leaseValid) return { open: false, reason: 'lease not valid' };
  return { open: true };
}

/** One line per change of the gate: what tests and people read to know why a node takes nothing. */
export function describeGate(gate: Gate): string {
  return gate.open ? 'claim gate: open' : `claim gate: closed (${gate.reason})`;
}

/** What a round does with its slots, given the gate. */
export type SlotStep = 'give back the waiting chunk' | 'grant the waiting chunk' | 'claim' | 'rest';

export interface SlotInput {
  gateOpen: boolean;
  /** A chunk claimed ahead waits for a slot. */
  waiting: boolean;
  freeSlot: boolean;
  /** Every slot runs a chunk of a job known short (ahead.ts). */
  mayClaimAhead: boolean;
}

export function slotStep(input: SlotInput): SlotStep {
  if (input.waiting && !input.gateOpen) return 'give back the waiting chunk';
  if (input.waiting && input.freeSlot) return 'grant the waiting chunk';
  if (!input.waiting && input.gateOpen && (input.freeSlot || input.mayClaimAhead)) return 'claim';
  return 'rest';
}
