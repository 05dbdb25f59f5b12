// Values users give for job options: durations, sizes, whole numbers and start times (with a fixed now).
// Bad values are UsageErrors naming the flag.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBytes, parseDuration, parseStartAt, parseWholeNumber } from '../../src/jobs/values.js';
import { UsageError } from '../../src/errors.js';

// A zone an hour off UTC, so "local time" and "UTC" give different answers (Node re-reads TZ when it is set).
process.env.TZ = 'Europe/Paris';

function rejects(what: string, fn: () => unknown, flag: string): void {
  test(`${what} → UsageError naming ${flag}`, () => {
    try {
      fn();
      assert.unreachable('should have thrown');
    } catch (error) {
      assert.instance(error, UsageError, (error as Error).message);
      assert.ok((error as Error).message.includes(flag), (error as Error).message);
    }
  });
}

const S = 1000;
const M = 60 * S;
const H = 60 * M;

const DURATIONS: [string, number][] = [
  ['90', 90 * S],
  ['1.5', 1500],
  ['0', 0],
  ['90s', 90 * S],
  ['250ms', 250],
  ['5m', 5 * M],
  ['1h30m', H + 30 * M],
  ['1m30s', 90 * S],
  ['1.5h', 1.5 * H],
  ['2d', 48 * H],
  [' 2s ', 2 * S],
];

for (const [raw, ms] of DURATIONS) {
  test(`parseDuration ${JSON.stringify(raw)} → ${ms} ms`, () => {
    assert.is(parseDuration(raw, '--timeout'), ms);
  });
}

for (const raw of ['', 'abc', '5 m', '-5s', '5x', 'm', '1h 30m', '5s5', 's5', '1,5s']) {
  rejects(`parseDuration ${JSON.stringify(raw)}`, () => parseDuration(raw, '--retry-delay'), '--retry-delay');
}

const KiB = 1024;
const MiB = 1024 ** 2;
const GiB = 1024 ** 3;
const TiB = 1024 ** 4;

const SIZES: [string, number][] = [
  ['2048', 2048],
  ['2048B', 2048],
  ['4K', 4 * KiB],
  ['512M', 512 * MiB],
  ['16G', 16 * GiB],
  ['16g', 16 * GiB],
  ['16GB', 16 * GiB],
  ['16GiB', 16 * GiB],
  ['16 G', 16 * GiB],
  ['1.5G', 1.5 * GiB],
  ['1T', TiB],
];

for (const [raw, bytes] of SIZES) {
  test(`parseBytes ${JSON.stringify(raw)} → ${bytes}`, () => {
    assert.is(parseBytes(raw, '--min-ram'), bytes);
  });
}

for (const raw of ['', 'G', '16X', '-1G', '16GBs', 'lots', '1P']) {
  rejects(`parseBytes ${JSON.stringify(raw)}`, () => parseBytes(raw, '--min-ram'), '--min-ram');
}

const WHOLE: [string, number, number, number][] = [
  ['3', 0, 10, 3],
  [' 7 ', 0, 10, 7],
  ['+2', 0, 10, 2],
  ['-5', -10, 10, -5],
  ['0', 0, 10, 0],
  ['10', 0, 10, 10],
];

for (const [raw, min, max, value] of WHOLE) {
  test(`parseWholeNumber ${JSON.stringify(raw)} in ${min}..${max} → ${value}`, () => {
    assert.is(parseWholeNumber(raw, '--max-nodes', min, max), value);
  });
}

for (const [raw, min, max] of [['0', 1, 10], ['11', 1, 10], ['-1', 0, 10], ['1.5', 0, 10], ['abc', 0, 10], ['', 0, 10], ['1e3', 0, 10000]] as const) {
  rejects(`parseWholeNumber ${JSON.stringify(raw)} in ${min}..${max}`, () => parseWholeNumber(raw, '--max-nodes', min, max), '--max-nodes');
}

// now: Saturday 21 November 2026, 18:00:00.500 local time
const NOW = new Date(2026, 10, 21, 18, 0, 0, 500).getTime();
const local = (d: number, h: number, m: number) => new Date(2026, 10, d, h, m, 0, 0).getTime();

const START_AT: [string, number][] = [
  ['19:00', local(21, 19, 0)], // later today
  ['18:01', local(21, 18, 1)],
  ['17:00', local(22, 17, 0)], // already past today: tomorrow
  ['18:00', local(22, 18, 0)], // this very minute has begun: tomorrow
  ['0:05', local(22, 0, 5)],
  ['23:59', local(21, 23, 59)],
  ['+2h', NOW + 2 * H],
  ['+90s', NOW + 90 * S],
  ['+90', NOW + 90 * S],
  ['+1h30m', NOW + H + 30 * M],
  ['+0s', NOW],
  ['2026-11-21T19:00', local(21, 19, 0)], // ISO without a zone: local time
  ['2026-11-23T08:30:00', local(23, 8, 30)],
  ['2026-11-21T19:00:00Z', Date.UTC(2026, 10, 21, 19, 0)],
  ['2026-11-21T19:00+01:00', Date.UTC(2026, 10, 21, 18, 0)],
  ['2026-11-20T12:00', local(20, 12, 0)], // in the past: allowed, it simply may start at once
];

for (const [raw, expected] of START_AT) {
  test(`parseStartAt ${JSON.stringify(raw)} at Sat 18:00 → ${new Date(expected).toString().slice(0, 24)}`, () => {
    assert.is(parseStartAt(raw, '--start-at', NOW), expected);
  });
}

test('parseStartAt "19:00" just before and just after 19:00', () => {
  assert.is(parseStartAt('19:00', '--start-at', local(21, 18, 59)), local(21, 19, 0));
  assert.is(parseStartAt('19:00', '--start-at', local(21, 19, 0) + 1), local(22, 19, 0));
});

test('parseStartAt "00:30" across the end of the month and year', () => {
  const newYearsEve = new Date(2026, 11, 31, 23, 0).getTime();
  assert.is(parseStartAt('00:30', '--start-at', newYearsEve), new Date(2027, 0, 1, 0, 30).getTime());
});

// BUG: a date with no time is read by Date.parse as UTC midnight, not local midnight like the ISO
// date-times above: 01:00 in Paris.
test('parseStartAt "2026-11-22" (a date alone) is local midnight, like a date-time without a zone', () => {
  assert.is(parseStartAt('2026-11-22', '--start-at', NOW), local(22, 0, 0));
});

for (const raw of ['', 'tomorrow', '25:00', '12:60', '7pm', '+', '+2x', '+-2h', '2026-13-45', '21/11/2026', '2026-11-21T19:00junk']) {
  rejects(`parseStartAt ${JSON.stringify(raw)}`, () => parseStartAt(raw, '--start-at', NOW), '--start-at');
}

// BUG: Date.parse rolls a day that does not exist over into the next month (2 March) instead of refusing it.
rejects('parseStartAt "2026-02-30T10:00" (no 30 February)', () => parseStartAt('2026-02-30T10:00', '--start-at', NOW), '--start-at');

test.run();
