// One line of a node's stats file: what one recorded attempt was, as JSON on one line.
// Built from the daemon's AttemptRecorded event (a pure function), parsed back when reporting.
import { formatFrameSpec } from '../frames/index.js';
import type { ChunkRecord, JobRecord } from '../spool/records.js';
import * as s from '../spool/schema.js';

export const STAT_LINE_VERSION = 1;
/** O_APPEND writes this small go in as one write on a local filesystem; we stay well under it. */
export const MAX_STAT_LINE_BYTES = 4096;

export const OUTCOMES = ['done', 'failed', 'stopped', 'lost'] as const;
export type Outcome = (typeof OUTCOMES)[number];

const statShape = {
  v: s.literal(STAT_LINE_VERSION),
  job: s.string(128),
  jobName: s.string(256),
  owner: s.string(128),
  chunk: s.string(128),
  frames: s.integer,
  frameSpec: s.string(2048),
  attempt: s.integer,
  node: s.string(128),
  host: s.string(256),
  slots: s.integer,
  /** Wall clock of the node, ISO: for display and bucketing only, never for liveness. */
  start: s.string(64),
  end: s.string(64),
  /** The node's monotonic clock: the one trustworthy duration. */
  durationMs: s.number,
  outcome: s.literal(...OUTCOMES),
  error: s.optional(s.string(2048)),
  peakMemMB: s.optional(s.number),
  framesDone: s.integer,
};
export type AttemptStat = ReturnType<ReturnType<typeof s.object<typeof statShape>>>;
const checkStat = s.object(statShape);

export interface AttemptEvent {
  job: JobRecord;
  record: ChunkRecord;
  outcome: Outcome;
  durationMs: number;
}

export interface RecorderIdentity {
  node: string;
  host: string;
  slots: number;
}

/** The stat of an attempt just recorded; `nowIso` stands in for a missing end time. */
export function attemptStatOf(event: AttemptEvent, who: RecorderIdentity, nowIso: string): AttemptStat {
  const { job, record } = event;
  const entry = [...record.history].reverse().find((h) => h.attempt === record.attempt);
  const framesDone = record.progress?.framesDone ?? (event.outcome === 'done' ? record.frames.length : 0);
  return {
    v: STAT_LINE_VERSION,
    job: job.id,
    jobName: job.name,
    owner: job.owner,
    chunk: record.id,
    frames: record.frames.length,
    frameSpec: formatFrameSpec(record.frames),
    attempt: record.attempt,
    node: who.node,
    host: who.host,
    slots: who.slots,
    start: entry?.startedAt ?? record.startedAt ?? nowIso,
    end: entry?.endedAt ?? record.endedAt ?? nowIso,
    durationMs: Math.max(0, Math.round(event.durationMs)),
    outcome: event.outcome,
    error: entry?.error ?? (event.outcome === 'done' ? undefined : record.error),
    peakMemMB: entry?.peakMemMB ?? record.progress?.peakMemMB,
    framesDone,
  };
}

const clip = (text: string | undefined, max: number) => (text && text.length > max ? `${text.slice(0, max - 1)}…` : text);

/**
 * The stat as one line under MAX_STAT_LINE_BYTES: long free text (error, frame spec, names) is
 * shortened until it fits, so the append stays a single small write.
 */
export function formatStatLine(stat: AttemptStat): string {
  const attempts: ((x: AttemptStat) => AttemptStat)[] = [
    (x) => x,
    (x) => ({ ...x, error: clip(x.error, 300), frameSpec: clip(x.frameSpec, 200)!, jobName: clip(x.jobName, 100)! }),
    (x) => ({ ...x, error: clip(x.error, 60), frameSpec: clip(x.frameSpec, 40)!, jobName: clip(x.jobName, 40)!, host: clip(x.host, 60)!, owner: clip(x.owner, 40)! }),
  ];
  for (const shorten of attempts) {
    const line = JSON.stringify(shorten(stat)) + '\n';
    if (Buffer.byteLength(line) < MAX_STAT_LINE_BYTES) return line;
  }
  throw new RangeError(`stat line for ${stat.job}/${stat.chunk} does not fit in ${MAX_STAT_LINE_BYTES} bytes`);
}

/** A line back into a stat, or null when it is not one (garbled, cut short, another version). */
export function parseStatLine(line: string): AttemptStat | null {
  try {
    const stat = checkStat(JSON.parse(line), '');
    if (Number.isNaN(Date.parse(stat.start)) || Number.isNaN(Date.parse(stat.end))) return null;
    return stat;
  } catch {
    return null; // the caller counts it: a bad line is skipped, never fatal
  }
}
