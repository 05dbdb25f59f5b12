// Asking every registered node, over the signed socket, whether it is there, what time it is on its
// clock (a reply carries its sender's wall time) and which Blender it runs; and whether the TCP address
// it advertises answers from here.
import { performance } from 'node:perf_hooks';
import { sendRequest, type PeerAddress, type Recipient, type RequestDraft, type SendResult } from '../peers/index.js';
import type { NodeRecord } from '../spool/records.js';
import type { ProcessIdentity } from '../nodes/host.js';
import type { NodeFindings } from './node-verdicts.js';
import { sleep } from '../liveness/clock.js';

const ASK_TIMEOUT_MS = 6000;
/** A node asks its Blender for a version on the first doctor-request; this long is waited for the answer. */
export const BLENDER_WAIT_MS = 20_000;
const BLENDER_ASK_EVERY_MS = 1000;
/** Clock samples per node; the one with the shortest round trip is kept. */
const CLOCK_SAMPLES = 3;

export interface Asker {
  key: Buffer;
  from: string;
  self: ProcessIdentity;
}

export interface Answer { result: SendResult; sentWallMs: number; rttMs: number }

export async function ask(asker: Asker, to: Recipient, address: PeerAddress, msg: RequestDraft, timeoutMs: number): Promise<Answer> {
  const sentWallMs = Date.now();
  const start = performance.now();
  const result = await sendRequest({ key: asker.key, address, from: asker.from, to, msg, timeoutMs });
  return { result, sentWallMs, rttMs: performance.now() - start };
}

export function recipientOf(record: NodeRecord): Recipient {
  return { node: record.name, instance: record.instance };
}

function describe(result: SendResult): string {
  if (result.ok) return result.reply.type === 'error' ? `error reply: ${result.reply.body.message}` : 'answered';
  return `${result.reason}: ${result.detail}`;
}

function tcpText(address: { host: string; port: number }): string {
  return address.host.includes(':') ? `[${address.host}]:${address.port}` : `${address.host}:${address.port}`;
}

/** The addresses to try: the advertised TCP address first (that is what is checked), then the local socket. */
function addresses(record: NodeRecord, self: ProcessIdentity): PeerAddress[] {
  const list: PeerAddress[] = [];
  if (record.address) list.push(record.address);
  if (record.socket && record.bootId === self.bootId) list.push({ path: record.socket });
  return list;
}

export async function examineNode(asker: Asker, record: NodeRecord): Promise<Omit<NodeFindings, 'beating' | 'quietText'> & { working?: PeerAddress }> {
  const findings: Omit<NodeFindings, 'beating' | 'quietText'> & { working?: PeerAddress } = { name: record.name, answered: false };
  if (record.address) findings.advertised = tcpText(record.address);
  const hello: RequestDraft = { type: 'doctor-request', body: {} };
  for (const address of addresses(record, asker.self)) {
    const answer = await ask(asker, recipientOf(record), address, hello, ASK_TIMEOUT_MS);
    const answered = answer.result.ok && answer.result.reply.type === 'doctor-reply';
    if ('host' in address) {
      findings.advertisedAnswers = answered;
      if (!answered) findings.advertisedFailure = describe(answer.result);
    }
    if (!answered) {
      findings.failure ??= describe(answer.result);
      continue;
    }
    if (answer.result.ok && answer.result.reply.type === 'doctor-reply') findings.blender = answer.result.reply.body.blender;
    findings.answered = true;
    findings.failure = undefined;
    findings.working = address;
    break;
  }
  if (!findings.working) return findings;
  // the clock: the reply's ts against the midpoint of the round trip, the shortest of a few
  // (status-request: answered at once, where a doctor-request may wait for Blender)
  let best: Answer | undefined;
  for (let i = 0; i < CLOCK_SAMPLES; i++) {
    const answer = await ask(asker, recipientOf(record), findings.working, { type: 'status-request', body: {} }, ASK_TIMEOUT_MS);
    if (answer.result.ok && (!best || answer.rttMs < best.rttMs)) best = answer;
  }
  if (best?.result.ok) {
    findings.skewMs = best.result.reply.ts - (best.sentWallMs + best.rttMs / 2);
    findings.rttMs = best.rttMs;
  }
  const until = performance.now() + BLENDER_WAIT_MS;
  while (findings.blender === undefined && performance.now() < until) {
    await sleep(BLENDER_ASK_EVERY_MS);
    const answer = await ask(asker, recipientOf(record), findings.working, hello, ASK_TIMEOUT_MS);
    if (answer.result.ok && answer.result.reply.type === 'doctor-reply') findings.blender = answer.result.reply.body.blender;
  }
  return findings;
}
