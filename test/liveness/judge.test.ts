// HolderJudge with a fake clock (numbers passed in): heartbeats judged by change over the observer's own
// time (alive → suspect, whose socket may settle it → dead); on this kernel, by pid — a real short process
// is spawned and killed for that.
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import { once } from 'node:events';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { HEARTBEAT_MS, HolderJudge, NODE_SILENT_MS, NODE_SUSPECT_MS, type SocketAnswer, type Verdict } from '../../src/liveness/judge.js';
import { currentIdentity, processStartTime, type ProcessIdentity } from '../../src/nodes/host.js';
import { GUARD_MARK_VAR } from '../../src/liveness/lease.js';
import type { Holder, NodeRecord } from '../../src/spool/records.js';
import { withTimeout, waitUntil } from '../support/index.js';

const SELF = currentIdentity();
const SILENT = 1000;
/** A holder on another host: its pid means nothing here, only its heartbeat counts. */
const REMOTE: Holder = { node: 'far', instance: 'i-1', host: 'far-host', bootId: 'another-boot', pidns: 'pid:[1]', pid: 1234 };

function nodeRecord(over: Partial<NodeRecord> = {}): NodeRecord {
  return {
    v: 1, name: 'far', instance: 'i-1', host: 'far-host', bootId: 'another-boot', pidns: 'pid:[1]', pid: 1234,
    startedAt: '2030-01-01T00:00:00Z', beat: 1, state: 'running', slots: 1, tags: [], running: [], updatedAt: '2030-01-01T00:00:00Z',
    ...over,
  };
}

const records = (...list: NodeRecord[]) => new Map(list.map((r) => [r.name, r]));

type Look = [nowMs: number, beat: number | null, expected: Verdict, why: string];

// With a 1 s window a holder is suspect (its socket gets asked) after half of it, dead after all of it.
const SUSPECT = Math.min(NODE_SUSPECT_MS, SILENT / 2);

const HEARTBEAT_SCENARIOS: [string, Look[]][] = [
  ['first sighting is never dead', [[1e9, 1, 'alive', 'first look']]],
  ['quiet, but not long enough to ask', [[0, 1, 'alive', 'first'], [SUSPECT - 1, 1, 'alive', '1 ms short of suspect']]],
  ['quiet long enough to ask its socket', [[0, 1, 'alive', 'first'], [SUSPECT, 1, 'suspect', 'half the window'], [SILENT - 1, 1, 'suspect', '1 ms short']]],
  ['window elapsed with the beat unchanged', [[0, 1, 'alive', 'first'], [SILENT, 1, 'dead', 'silent for the window']]],
  ['a beat that moves resets the window', [[0, 1, 'alive', 'first'], [800, 1, 'suspect', ''], [900, 2, 'alive', 'moved'], [1800, 2, 'suspect', '900 ms since'], [1900, 2, 'dead', 'window since the move']]],
  ['a heartbeat that keeps moving is never suspect', [[0, 1, 'alive', ''], [450, 2, 'alive', ''], [900, 3, 'alive', ''], [1350, 4, 'alive', ''], [1800, 5, 'alive', '']]],
  ['no record at all: dead only after the window', [[0, null, 'alive', 'first'], [400, null, 'alive', 'not yet'], [1000, null, 'dead', 'window']]],
  ['record vanishes: the window starts again', [[0, 1, 'alive', ''], [900, null, 'alive', 'vanished: a change'], [1899, null, 'suspect', ''], [1900, null, 'dead', '']]],
];

for (const [name, looks] of HEARTBEAT_SCENARIOS) {
  test(`remote holder: ${name}`, () => {
    const judge = new HolderJudge(SELF, SILENT);
    for (const [now, beat, expected, why] of looks) {
      const nodes = beat === null ? records() : records(nodeRecord({ beat }));
      assert.is(judge.verdict(REMOTE, nodes, now), expected, `at ${now}: ${why}`);
    }
  });
}

test('remote holder: its heartbeat\'s story is told once per change (decision lines), looks of the same sweep add nothing', () => {
  const lines: string[] = [];
  const judge = new HolderJudge(SELF, SILENT, (line) => lines.push(line));
  const looks: [number, number][] = [[0, 1], [0, 1], [100, 2], [100, 2], [200, 3], [SUSPECT + 200, 3], [SUSPECT + 300, 3], [SUSPECT + 400, 4], [2 * SUSPECT + 400, 4], [SUSPECT + 400 + SILENT, 4], [SUSPECT + 500 + SILENT, 4]];
  for (const [now, beat] of looks) judge.verdict(REMOTE, records(nodeRecord({ beat })), now);
  assert.equal(lines, [
    'watching holder far (beat 2)',
    `holder far suspect after ${SUSPECT} ms (beat 3)`,
    'holder far alive again (beat 4)',
    `holder far suspect after ${SUSPECT} ms (beat 4)`,
    `holder far dead after ${SILENT} ms (beat 4)`,
  ]);
});

const ANSWERS: [SocketAnswer, 'alive' | 'dead'][] = [['not-running', 'dead'], ['running', 'alive'], ['no-answer', 'alive']];

for (const [answer, verdict] of ANSWERS) {
  test(`a suspect whose socket answers ${answer} is ${verdict}`, () => {
    assert.is(HolderJudge.settle(answer), verdict);
  });
}

test('remote holder: the wall time in its record never matters, however skewed', () => {
  const judge = new HolderJudge(SELF, SILENT);
  assert.is(judge.verdict(REMOTE, records(nodeRecord({ updatedAt: '1970-01-01T00:00:00Z' })), 0), 'alive');
  assert.is(judge.verdict(REMOTE, records(nodeRecord({ beat: 2, updatedAt: '2999-01-01T00:00:00Z' })), 400), 'alive');
});

test('remote holder: another instance under its name is a hint, not a death: only the window decides', () => {
  const judge = new HolderJudge(SELF, SILENT);
  const other = (beat: number) => records(nodeRecord({ instance: 'i-2', beat }));
  assert.is(judge.verdict(REMOTE, other(1), 0), 'alive', 'a clash (or a restart elsewhere) seen for the first time');
  assert.is(judge.verdict(REMOTE, other(2), SILENT - 1), 'suspect', 'the other instance beating is not the holder beating');
  assert.is(judge.verdict(REMOTE, other(3), SILENT), 'dead', 'the holder\'s own heartbeat unseen for the whole window');
});

test('remote holder: two instances writing one record in turn keep each other\'s chunks alive', () => {
  const judge = new HolderJudge(SELF, SILENT);
  for (let t = 0, beat = 1; t <= 3 * SILENT; t += SILENT / 4, beat++) {
    const record = beat % 2 ? nodeRecord({ beat }) : nodeRecord({ instance: 'i-2', beat });
    assert.is.not(judge.verdict(REMOTE, records(record), t), 'dead', `at ${t}`);
  }
});

test('an instance proven dead on this kernel (its name taken over) is dead at once', () => {
  const judge = new HolderJudge(SELF, SILENT);
  judge.markDead(REMOTE.instance);
  assert.is(judge.verdict(REMOTE, records(), 0), 'dead');
});

test('default windows: suspect after two missed beats, dead after the farm heartbeat window', () => {
  const judge = new HolderJudge(SELF);
  judge.verdict(REMOTE, records(nodeRecord()), 0);
  assert.is(judge.verdict(REMOTE, records(nodeRecord()), NODE_SUSPECT_MS - 1), 'alive');
  assert.is(judge.verdict(REMOTE, records(nodeRecord()), NODE_SUSPECT_MS), 'suspect');
  assert.is(judge.verdict(REMOTE, records(nodeRecord()), NODE_SILENT_MS - 1), 'suspect');
  assert.is(judge.verdict(REMOTE, records(nodeRecord()), NODE_SILENT_MS), 'dead');
  assert.ok(NODE_SUSPECT_MS > 2 * HEARTBEAT_MS, 'a node is not suspect while its beats arrive on time');
});

test('holders of different nodes and instances are timed separately', () => {
  const judge = new HolderJudge(SELF, SILENT);
  const other: Holder = { ...REMOTE, node: 'far2' };
  const both = (a: number, b: number) => records(nodeRecord({ beat: a }), nodeRecord({ name: 'far2', beat: b }));
  judge.verdict(REMOTE, both(1, 1), 0);
  judge.verdict(other, both(1, 1), 600);
  assert.is(judge.verdict(REMOTE, both(1, 1), 1000), 'dead');
  assert.is(judge.verdict(other, both(1, 1), 1000), 'alive');
  assert.is(judge.verdict(other, both(1, 1), 1600), 'dead');
});

test('a holder in another pid namespace on this boot is judged by heartbeat, not pid', () => {
  const judge = new HolderJudge(SELF, SILENT);
  const holder: Holder = { ...REMOTE, bootId: SELF.bootId, pidns: 'pid:[other]', pid: 999_999_999 };
  assert.is(judge.verdict(holder, records(nodeRecord()), 0), 'alive', 'pid 999999999 does not exist here, but that says nothing');
});

const localHolder = (identity: ProcessIdentity): Holder => ({ node: 'here', instance: 'i-9', ...identity });

test('same kernel: this very process is alive even with a silent heartbeat', () => {
  const judge = new HolderJudge(SELF, SILENT);
  assert.is(judge.verdict(localHolder(SELF), records(), 0), 'alive');
  assert.is(judge.verdict(localHolder(SELF), records(), 1e9), 'alive');
});

test('same kernel: a live process is alive; killed, it is dead at once (no window)', async () => {
  await withTimeout(10_000, 'spawned process', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await once(child, 'spawn');
      const pid = child.pid!;
      const identity = { ...SELF, pid, pidStart: processStartTime(pid) };
      assert.ok(identity.pidStart, 'start time read from /proc');
      const judge = new HolderJudge(SELF, SILENT);
      const fresh = records(nodeRecord({ name: 'here', instance: 'i-9', beat: 7 }));
      assert.is(judge.verdict(localHolder(identity), fresh, 0), 'alive');
      child.kill('SIGKILL');
      await once(child, 'exit');
      // heartbeat looked at once only: by heartbeat it could never be dead yet
      assert.is(judge.verdict(localHolder(identity), fresh, 1), 'dead');
    } finally {
      child.kill('SIGKILL');
    }
  });
});

test('same kernel: a zombie (killed, not yet reaped by its parent) is dead', async () => {
  await withTimeout(10_000, 'zombie', async () => {
    // sh starts a short sleep, then becomes a long sleep that never reaps it: the short one turns zombie
    const parent = spawn('sh', ['-c', 'sleep 0.05 & echo $!; exec sleep 30'], { stdio: ['ignore', 'pipe', 'ignore'] });
    try {
      const [data] = await once(parent.stdout!, 'data');
      const pid = Number(String(data).trim());
      const start = processStartTime(pid);
      await waitUntil('the short sleep to become a zombie', () => /\) Z /.test(readStat(pid)), 5000, 20);
      const judge = new HolderJudge(SELF, SILENT);
      assert.is(judge.verdict(localHolder({ ...SELF, pid, pidStart: start }), records(), 0), 'dead');
    } finally {
      parent.kill('SIGKILL');
    }
  });
});

test('same kernel: a reused pid (other start time) is not the holder: dead', async () => {
  await withTimeout(10_000, 'reused pid', async () => {
    const child = spawn('sleep', ['30'], { stdio: 'ignore' });
    try {
      await once(child, 'spawn');
      const identity = { ...SELF, pid: child.pid!, pidStart: '1' };
      assert.is(new HolderJudge(SELF, SILENT).verdict(localHolder(identity), records(), 0), 'dead');
    } finally {
      child.kill('SIGKILL');
    }
  });
});

test('same kernel: our own pid with another start time (a previous life of this pid) is dead', () => {
  const judge = new HolderJudge(SELF, SILENT);
  assert.is(judge.verdict(localHolder({ ...SELF, pidStart: '1' }), records(), 0), 'dead');
});

test('same kernel: a dead holder whose hooks still run is not dead until they are gone; one that never goes, the window decides', async () => {
  await withTimeout(10_000, 'marked processes', async () => {
    const holderProcess = spawn('sleep', ['30'], { stdio: 'ignore' });
    const instance = `i-${process.pid}-marked`;
    // a hook of the holder's, carrying its guard mark with its lease (its instance), as launcher.pl starts it
    const hook = spawn('sleep', ['30.4'], { stdio: 'ignore', env: { ...process.env, [GUARD_MARK_VAR]: `0123abcd.${instance}` } });
    try {
      await Promise.all([once(holderProcess, 'spawn'), once(hook, 'spawn')]);
      const identity = { ...SELF, pid: holderProcess.pid!, pidStart: processStartTime(holderProcess.pid!) };
      holderProcess.kill('SIGKILL');
      await once(holderProcess, 'exit');
      const holder: Holder = { ...localHolder(identity), instance };
      const lingering = new HolderJudge(SELF, SILENT);
      assert.is(lingering.verdict(holder, records(), 0), 'alive', 'its pid is gone, but its hook still runs');
      assert.is(lingering.verdict(holder, records(), SILENT), 'dead', 'a hook that outlives its launcher: the window decides');
      const judge = new HolderJudge(SELF, SILENT);
      assert.is(judge.verdict(holder, records(), 0), 'alive');
      hook.kill('SIGKILL');
      await once(hook, 'exit');
      assert.is(judge.verdict(holder, records(), 1), 'dead', 'its hooks gone: dead at once');
    } finally {
      holderProcess.kill('SIGKILL');
      hook.kill('SIGKILL');
    }
  });
});

function readStat(pid: number): string {
  try { return fs.readFileSync(`/proc/${pid}/stat`, 'utf8'); } catch { return ''; }
}

test.run();
