// --schedule: parsing the windows and whether a local time falls in one — across midnight (an overnight
// window belongs to the day it starts on) and across the week boundary (Saturday → Sunday).
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { isWithinSchedule, parseSchedule } from '../../src/daemon/schedule.js';
import { UsageError } from '../../src/errors.js';

// Local times in the week of Sunday 22 November 2026 (built with the local-time constructor, so the table
// holds in any time zone).
const DAY_OF_MONTH: Record<string, number> = { sun: 22, mon: 23, tue: 24, wed: 25, thu: 26, fri: 27, sat: 28, nextsun: 29, nextmon: 30 };
function at(day: string, clock: string): Date {
  const [h, m] = clock.split(':').map(Number);
  return new Date(2026, 10, DAY_OF_MONTH[day], h, m, 30);
}

test('the fixed week starts on a Sunday', () => {
  assert.is(at('sun', '12:00').getDay(), 0);
  assert.is(at('sat', '12:00').getDay(), 6);
  assert.is(at('nextsun', '12:00').getDay(), 0);
});

const STUDIO = 'mon-fri 19:00-08:00, sat,sun 00:00-24:00';

// [schedule, day, time, within?]
const WITHIN: [string, string, string, boolean][] = [
  [STUDIO, 'mon', '18:59', false],
  [STUDIO, 'mon', '19:00', true],
  [STUDIO, 'mon', '23:59', true],
  [STUDIO, 'tue', '00:00', true], // Monday's night
  [STUDIO, 'tue', '07:59', true],
  [STUDIO, 'tue', '08:00', false], // end is exclusive
  [STUDIO, 'wed', '12:00', false],
  [STUDIO, 'fri', '23:00', true],
  [STUDIO, 'sat', '07:00', true], // Friday's night and Saturday's day
  [STUDIO, 'sat', '12:00', true],
  [STUDIO, 'sun', '23:59', true],
  // Monday morning: Sunday's window ended at 24:00 and no weekday window started on Sunday evening
  [STUDIO, 'mon', '07:59', false],
  [STUDIO, 'nextsun', '00:00', true],
  // overnight across the week boundary: Saturday night runs into Sunday
  ['sat 22:00-02:00', 'sat', '21:59', false],
  ['sat 22:00-02:00', 'sat', '22:00', true],
  ['sat 22:00-02:00', 'nextsun', '01:59', true],
  ['sat 22:00-02:00', 'nextsun', '02:00', false],
  ['sat 22:00-02:00', 'sat', '01:00', false], // that morning part belongs to a Friday window
  ['sun 23:00-01:00', 'mon', '00:30', true],
  ['sun 23:00-01:00', 'sun', '00:30', false],
  // a day range that wraps the week
  ['fri-mon 10:00-11:00', 'sun', '10:30', true],
  ['fri-mon 10:00-11:00', 'mon', '10:30', true],
  ['fri-mon 10:00-11:00', 'wed', '10:30', false],
  ['fri-mon 10:00-11:00', 'fri', '11:00', false],
  ['sat 00:00-24:00', 'sat', '23:59', true],
  ['sat 00:00-24:00', 'nextsun', '00:00', false],
  ['sat 00:00-24:00', 'fri', '23:59', false],
  ['sun-sat 00:00-24:00', 'wed', '03:00', true],
  // several windows: any one will do
  ['mon 09:00-10:00; mon 14:00-15:00', 'mon', '14:30', true],
  ['mon 09:00-10:00; mon 14:00-15:00', 'mon', '12:00', false],
  // names are case-insensitive; longer names are read by their first three letters
  ['Monday-Friday 9:00-17:00', 'thu', '09:00', true],
  ['Monday-Friday 9:00-17:00', 'sat', '09:00', false],
];

for (const [schedule, day, clock, expected] of WITHIN) {
  test(`"${schedule}" at ${day} ${clock} → ${expected ? 'within' : 'outside'}`, () => {
    assert.is(isWithinSchedule(parseSchedule(schedule), at(day, clock)), expected);
  });
}

test('parseSchedule: the studio example', () => {
  const windows = parseSchedule(STUDIO);
  assert.equal(windows.map((w) => ({ days: [...w.days].sort(), startMin: w.startMin, endMin: w.endMin })), [
    { days: [1, 2, 3, 4, 5], startMin: 19 * 60, endMin: 8 * 60 },
    { days: [0, 6], startMin: 0, endMin: 24 * 60 },
  ]);
});

const BAD = [
  '',
  'always',
  'mon-fri',
  'mon-fri 19:00',
  'xyz 10:00-11:00',
  'mo 10:00-11:00',
  'mon- 10:00-11:00',
  'mon,,tue 10:00-11:00',
  'mon 25:00-26:00',
  'mon 10:60-11:00',
  'mon 24:01-01:00',
  'mon 1000-1100',
  'mon-fri 19:00-08:00 tonight',
  'mon-fri 19:00-08:00, garbage',
];

function rejects(raw: string): void {
  try {
    parseSchedule(raw);
    assert.unreachable('should have thrown');
  } catch (error) {
    assert.instance(error, UsageError, (error as Error).message);
    assert.match((error as Error).message, '--schedule');
    assert.not.match((error as Error).message, '\n');
  }
}

for (const raw of BAD) {
  test(`parseSchedule rejects ${JSON.stringify(raw)} with a UsageError naming --schedule`, () => rejects(raw));
}

// BUG: parseDays reads only the first two parts of 'mon-wed-fri' and quietly takes it as mon-wed.
test('parseSchedule rejects a day range of three days ("mon-wed-fri")', () => rejects('mon-wed-fri 10:00-11:00'));

test.run();
