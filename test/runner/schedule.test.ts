// The test runner's choice of the next file: lanes, files that run alone, files that need one shared thing.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { pickNext, planOf, type PlannedFile } from './schedule.js';

const file = (name: string, wishes: Partial<PlannedFile> = {}): PlannedFile => ({ name, alone: false, needs: [], ...wishes });

test('the next file is the first queued that may start now', () => {
  const gluster = file('gluster', { needs: ['glusterd'] });
  const alone = file('alone', { alone: true });
  const cases: [string, PlannedFile[], PlannedFile[], number, number][] = [
    ['a free lane: the head', [file('a'), file('b')], [], 2, 0],
    ['every lane taken', [file('a')], [file('x'), file('y')], 2, -1],
    ['a shared thing held: the next that does not need it', [gluster, file('b')], [file('m', { needs: ['glusterd'] })], 2, 1],
    ['a file alone waits for empty lanes, and nothing passes it', [alone, file('b')], [file('x')], 2, -1],
    ['a file alone starts when the lanes are empty', [alone, file('b')], [], 2, 0],
    ['beside a file alone, nothing', [file('a')], [alone], 2, -1],
    ['one lane', [file('a')], [], 1, 0],
  ];
  for (const [name, queue, running, jobs, expected] of cases) assert.is(pickNext(queue, running, jobs), expected, name);
});

test('a file says what it needs in comment lines at its top', () => {
  assert.equal(planOf('f', '// header\n// test-runner: needs glusterd moosefs\nimport x;'), { name: 'f', alone: false, needs: ['glusterd', 'moosefs'] });
  assert.equal(planOf('g', '// test-runner: alone (measures calls per second)\n'), { name: 'g', alone: true, needs: [] });
  assert.equal(planOf('h', 'const s = "// test-runner: alone";'), { name: 'h', alone: false, needs: [] });
});

test.run();
