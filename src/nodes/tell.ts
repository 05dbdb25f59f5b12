// Sending a message to nodes by their records: the Unix socket when on the same kernel, else TCP.
// Failures are results: a node that does not answer is simply not told (it polls the spool anyway).
import { sendRequest, type RequestDraft, type SendResult, type PeerAddress } from '../peers/index.js';
import type { NodeRecord } from '../spool/records.js';
import type { ProcessIdentity } from './host.js';

/** Short: a tool waits for nodes only to speed things up, never for correctness. */
export const TELL_TIMEOUT_MS = 1000;

export interface Teller {
  key: Buffer;
  /** The caller's name, the message's `from`. */
  from: string;
  self: ProcessIdentity;
}

export function addressesOf(record: NodeRecord, self: ProcessIdentity): PeerAddress[] {
  const addresses: PeerAddress[] = [];
  if (record.socket && record.bootId === self.bootId) addresses.push({ path: record.socket });
  if (record.address) addresses.push(record.address);
  return addresses;
}

export async function tellNode(teller: Teller, record: NodeRecord, msg: RequestDraft, timeoutMs = TELL_TIMEOUT_MS): Promise<SendResult> {
  let last: SendResult = { ok: false, reason: 'unreachable', detail: `node ${record.name} advertises no address` };
  for (const address of addressesOf(record, teller.self)) {
    last = await sendRequest({ key: teller.key, address, from: teller.from, to: { node: record.name, instance: record.instance }, msg, timeoutMs });
    // only a socket that is not there is worth a second try over the other transport
    if (last.ok || (last.reason !== 'refused' && last.reason !== 'unreachable')) return last;
  }
  return last;
}

export async function tellNodes(teller: Teller, records: Iterable<NodeRecord>, msg: RequestDraft, timeoutMs = TELL_TIMEOUT_MS): Promise<Map<string, SendResult>> {
  const list = [...records];
  const results = await Promise.all(list.map((record) => tellNode(teller, record, msg, timeoutMs)));
  return new Map(list.map((record, i) => [record.name, results[i]]));
}
