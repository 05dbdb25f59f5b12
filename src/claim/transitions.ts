// What a chunk becomes after each event: pure functions of the record and the event.
import type { AttemptRecord, ChunkProgressRecord, ChunkRecord, Holder } from '../spool/records.js';
import type { Claim } from '../spool/running-names.js';

/** Attempts kept in a chunk's history; older ones are in the logs. */
export const HISTORY_LIMIT = 50;

export function claimed(record: ChunkRecord, holder: Holder, token: string, nowIso: string): ChunkRecord {
  return {
    ...record,
    state: 'running',
    rev: record.rev + 1,
    attempt: record.attempt + 1,
    token,
    holder,
    startedAt: nowIso,
    endedAt: undefined,
    progress: undefined,
  };
}

/** The claim a running record carries (its holder and token), as its file name spells it. */
export function claimOf(record: ChunkRecord): Claim {
  if (!record.holder || !record.token) throw new Error(`chunk ${record.job}/${record.id} is running without a claim`);
  return { node: record.holder.node, instance: record.holder.instance, token: record.token };
}

/**
 * A running chunk as its claim's name says: content its holder wrote since (same token) is the record;
 * content from before the claim (the queued record, moved as it was) gets the claim applied. The holder's
 * process is known from its node's record (host, pid), not from the name.
 */
export function claimedBy(record: ChunkRecord, claim: Claim, claimedAtIso: string): ChunkRecord {
  if (record.token === claim.token && record.holder) return record;
  const holder: Holder = { node: claim.node, instance: claim.instance, ...UNKNOWN_PROCESS };
  return claimed({ ...record, state: 'queued' }, holder, claim.token, claimedAtIso);
}

/** The process fields of a holder known only by its claim's name: no local pid check applies to it. */
export const UNKNOWN_PROCESS = { host: '', bootId: '', pidns: '', pid: 0 } as const;

export type AttemptEnd =
  | { outcome: 'done'; progress?: ChunkProgressRecord }
  | { outcome: 'failed'; error: string; progress?: ChunkProgressRecord }
  /** Given back (node stopping, job paused): not the chunk's fault, no retry used. */
  | { outcome: 'stopped'; error?: string }
  /** Its node died: not the chunk's fault either. */
  | { outcome: 'lost'; error: string };

export function attemptEnded(record: ChunkRecord, end: AttemptEnd, retries: number, nowIso: string): ChunkRecord {
  const failures = record.failures + (end.outcome === 'failed' ? 1 : 0);
  const state = end.outcome === 'done' ? 'done' : end.outcome === 'failed' && failures > retries ? 'failed' : 'queued';
  const entry: AttemptRecord = {
    attempt: record.attempt,
    node: record.holder?.node ?? '?',
    outcome: end.outcome,
    startedAt: record.startedAt,
    endedAt: nowIso,
    error: 'error' in end ? end.error : undefined,
    peakMemMB: ('progress' in end ? end.progress : record.progress)?.peakMemMB,
  };
  return {
    ...record,
    state,
    rev: record.rev + 1,
    failures,
    token: undefined,
    holder: undefined,
    endedAt: state === 'queued' ? undefined : nowIso,
    retryAfter: undefined,
    error: end.outcome === 'done' ? undefined : 'error' in end ? end.error : record.error,
    progress: 'progress' in end && end.progress ? end.progress : record.progress,
    history: [...record.history, entry].slice(-HISTORY_LIMIT),
  };
}

/** `render retry`: a failed chunk gets a fresh set of attempts. */
export function retried(record: ChunkRecord): ChunkRecord {
  return { ...record, state: 'queued', rev: record.rev + 1, failures: 0, endedAt: undefined, error: undefined, retryAfter: undefined };
}
