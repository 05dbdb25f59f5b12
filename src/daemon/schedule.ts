// `--schedule "mon-fri 19:00-08:00, sat,sun 00:00-24:00"`: when a workstation may claim work.
// A window that ends before it starts runs past midnight and belongs to the day it starts on.
import { UsageError } from '../errors.js';

const DAYS = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

export interface ScheduleWindow {
  days: Set<number>;
  startMin: number;
  endMin: number;
}

/** `mon`, `Monday` → 1; anything else → -1. */
function dayIndex(text: string): number {
  const name = text.trim().toLowerCase();
  const index = DAYS.indexOf(name.slice(0, 3));
  return index >= 0 && `${DAYS[index]}${FULL_DAY_TAILS[index]}`.startsWith(name) ? index : -1;
}

const FULL_DAY_TAILS = ['day', 'day', 'sday', 'nesday', 'rsday', 'day', 'urday'];

function parseDays(text: string, whole: string): Set<number> {
  const days = new Set<number>();
  for (const part of text.split(',')) {
    const ends = part.split('-');
    if (ends.length > 2) throw new UsageError(`--schedule '${whole}': '${part}' is not a day or day range (mon-fri, sat,sun)`);
    const [from, to] = ends.map((d) => dayIndex(d));
    if (from < 0 || (to !== undefined && to < 0)) throw new UsageError(`--schedule '${whole}': '${part}' is not a day or day range (mon-fri, sat,sun)`);
    for (let d = from; ; d = (d + 1) % 7) {
      days.add(d);
      if (to === undefined || d === to) break;
    }
  }
  return days;
}

function parseClock(text: string, whole: string): number {
  const match = /^(\d{1,2}):(\d{2})$/.exec(text);
  const minutes = match ? Number(match[1]) * 60 + Number(match[2]) : NaN;
  if (!match || Number(match[2]) > 59 || minutes > 24 * 60) throw new UsageError(`--schedule '${whole}': '${text}' is not a time (HH:MM)`);
  return minutes;
}

const WINDOW = /([a-z][a-z,\-]*)\s+(\d{1,2}:\d{2})-(\d{1,2}:\d{2})/gi;

export function parseSchedule(raw: string): ScheduleWindow[] {
  const matches = [...raw.matchAll(WINDOW)];
  const leftover = raw.replace(WINDOW, '').replace(/[\s,;]/g, '');
  if (matches.length === 0 || leftover) throw new UsageError(`--schedule '${raw}' should look like "mon-fri 19:00-08:00, sat,sun 00:00-24:00"`);
  return matches.map((m) => ({ days: parseDays(m[1], raw), startMin: parseClock(m[2], raw), endMin: parseClock(m[3], raw) }));
}

/** Whether local time `at` falls in one of the windows. */
export function isWithinSchedule(windows: readonly ScheduleWindow[], at: Date): boolean {
  const day = at.getDay();
  const minute = at.getHours() * 60 + at.getMinutes();
  const yesterday = (day + 6) % 7;
  return windows.some((w) => {
    if (w.startMin < w.endMin) return w.days.has(day) && minute >= w.startMin && minute < w.endMin;
    // overnight: the evening part today, or the morning part of a window that started yesterday
    return (w.days.has(day) && minute >= w.startMin) || (w.days.has(yesterday) && minute < w.endMin);
  });
}
