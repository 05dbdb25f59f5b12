// Values users give for job options (flags, the API, job graphs): whole numbers, durations, sizes, times.
// Bad values are usage errors naming the option.
import { UsageError } from '../errors.js';

export function parseWholeNumber(raw: string, flag: string, min: number, max = Number.MAX_SAFE_INTEGER): number {
  const text = String(raw).trim();
  if (!/^[-+]?\d+$/.test(text)) throw new UsageError(`${flag} must be a whole number, got '${raw}'`);
  const value = Number(text);
  if (value < min || value > max) throw new UsageError(`${flag} must be from ${min} to ${max}, got ${value}`);
  return value;
}

const UNIT_MS: Record<string, number> = { ms: 1, s: 1000, m: 60_000, h: 3_600_000, d: 86_400_000 };

/** `90` (seconds), `90s`, `5m`, `1h30m`, `2d` → milliseconds. */
export function parseDuration(raw: string, flag: string): number {
  const text = String(raw).trim();
  if (/^\d+(\.\d+)?$/.test(text)) return Math.round(Number(text) * 1000);
  const parts = [...text.matchAll(/(\d+(?:\.\d+)?)(ms|s|m|h|d)/g)];
  if (parts.length === 0 || parts.map((p) => p[0]).join('') !== text) {
    throw new UsageError(`${flag} must be a duration like 90s, 5m or 1h30m, got '${raw}'`);
  }
  return Math.round(parts.reduce((sum, p) => sum + Number(p[1]) * UNIT_MS[p[2]], 0));
}

/** Collects a repeatable option into an array (commander's reducer). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}

const BYTE_UNITS: Record<string, number> = { '': 1, K: 1024, M: 1024 ** 2, G: 1024 ** 3, T: 1024 ** 4 };

/** `16G`, `512M`, `2048` (bytes) → bytes. */
export function parseBytes(raw: string, flag: string): number {
  const match = /^(\d+(?:\.\d+)?)\s*([KMGT]?)i?B?$/i.exec(String(raw).trim());
  if (!match) throw new UsageError(`${flag} must be a size like 16G or 512M, got '${raw}'`);
  return Math.round(Number(match[1]) * BYTE_UNITS[match[2].toUpperCase()]);
}

/**
 * `2026-11-21T19:00`, `19:00` (the next such time), `+2h` (from now) → ms since the epoch.
 * `nowMs` is passed in so the rule can be tested with a fixed clock.
 */
export function parseStartAt(raw: string, flag: string, nowMs: number): number {
  const text = String(raw).trim();
  if (text.startsWith('+')) return nowMs + parseDuration(text.slice(1), flag);
  const clock = /^(\d{1,2}):(\d{2})$/.exec(text);
  if (clock) {
    const [hours, minutes] = [Number(clock[1]), Number(clock[2])];
    if (hours > 23 || minutes > 59) throw new UsageError(`${flag} '${raw}' is not a time of day`);
    const at = new Date(nowMs);
    at.setHours(hours, minutes, 0, 0);
    if (at.getTime() <= nowMs) at.setDate(at.getDate() + 1);
    return at.getTime();
  }
  return parseDateTime(text, raw, flag);
}

const DATE_TIME = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2}))?)?(Z|[+-]\d{2}:?\d{2})?$/;

/** An ISO date or date-time; without a zone it is local time (a date alone is local midnight). */
function parseDateTime(text: string, raw: string, flag: string): number {
  const match = DATE_TIME.exec(text);
  const bad = () => new UsageError(`${flag} must be a date-time (2026-11-21T19:00), a time of day (19:00) or +DURATION, got '${raw}'`);
  if (!match) throw bad();
  const [year, month, day, hours = 0, minutes = 0, seconds = 0] = match.slice(1, 7).map((v) => (v === undefined ? undefined : Number(v))) as number[];
  const daysInMonth = new Date(Date.UTC(year, month, 0)).getUTCDate();
  if (month < 1 || month > 12 || day < 1 || day > daysInMonth || hours > 23 || minutes > 59 || seconds > 59) {
    throw new UsageError(`${flag} '${raw}' is not a real date and time`);
  }
  if (match[7]) return Date.parse(match[4] === undefined ? `${text.slice(0, 10)}T00:00${match[7]}` : text);
  return new Date(year, month - 1, day, hours, minutes, seconds).getTime();
}
