// Parsing option values users type: whole numbers, durations. Bad values are usage errors naming the flag.
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

export function formatDuration(ms: number): string {
  const s = Math.round(ms / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}

/** Collects a repeatable option into an array (commander's reducer). */
export function collect(value: string, previous: string[] = []): string[] {
  return [...previous, value];
}
