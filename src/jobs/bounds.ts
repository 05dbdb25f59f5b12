// The domain bounds of a job, in one place: every way in (render add/exec/submit/priority, the ui, the web
// page, the library) checks a value against these, so a job one path accepts is never refused by another.
import { UsageError } from '../errors.js';
import { isSafeName } from '../spool/layout.js';
import { parseWholeNumber } from './values.js';

export interface Range { readonly min: number; readonly max: number }

/** Inclusive ranges of the whole-number job options; frames are bounded in frames/spec.ts (MAX_FRAMES). */
export const JOB_BOUNDS = Object.freeze({
  priority: { min: -1_000_000, max: 1_000_000 },
  chunk: { min: 1, max: 1_000_000 },
  retries: { min: 0, max: 1000 },
  maxNodes: { min: 1, max: 100_000 },
  maxFailed: { min: 1, max: 1_000_000 },
} satisfies Record<string, Range>);

export type BoundedOption = keyof typeof JOB_BOUNDS;

/** A whole number typed or passed for `option`, checked against its bounds; `label` is how messages name it. */
export function parseBounded(raw: number | string, option: BoundedOption, label: string): number {
  const { min, max } = JOB_BOUNDS[option];
  return parseWholeNumber(String(raw), label, min, max);
}

/** A priority given as a number (the library, the ui): a whole number within the bounds, or a usage error. */
export function checkPriority(priority: number, label = 'priority'): number {
  return parseBounded(Number.isInteger(priority) ? priority : String(priority), 'priority', label);
}

/** A priority stepped by the ui's keys stays within the bounds instead of failing at the edge. */
export function clampPriority(priority: number): number {
  return Math.max(JOB_BOUNDS.priority.min, Math.min(JOB_BOUNDS.priority.max, priority));
}

/** Pool names become folder-safe tokens on nodes' records: the spool's name rule. */
export function checkPoolName(pool: string | undefined): string | undefined {
  if (pool !== undefined && !isSafeName(pool)) throw new UsageError(`--pool '${pool}' must be letters, digits, '.', '_' or '-'`);
  return pool;
}
