// Job-level hooks on a real farm: when many chunks of a job end at the same instant on six nodes, the
// job-done hook still runs exactly once per job (deactivateIfFinished elects one node); a failing job
// runs job-failed-* once and never job-done-*.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, submitExec, withTempSpool, withTimeout, writeScript } from '../support/index.js';

const NODES = 6;
const SLOTS = 2;
const JOBS = 5;
/** As many chunks as slots on the farm: they all run at once and, aligned on a tick, end together. */
const CHUNKS = NODES * SLOTS;
const TEST_TIMEOUT_MS = 150_000;

// A barrier: every chunk of the job waits until all of them have started (so all run at once), then
// until the next quarter second of the shared wall clock, so they end within a few ms of each other.
const TICK_SCRIPT = `#!/bin/bash
# usage: tick.sh BARRIER_DIR CHUNKS [fail]
dir="$1/$RENDER_JOB"; mkdir -p "$dir"; : > "$dir/$RENDER_CHUNK.$RENDER_ATTEMPT"
for _ in $(seq 1 400); do
  [ "$(ls "$dir" | wc -l)" -ge "$2" ] && break
  sleep 0.05
done
now=$(date +%s%N)
left=$(( (250000000 - now % 250000000) / 1000 ))
sleep "$(printf '%d.%06d' $((left / 1000000)) $((left % 1000000)))"
[ "\${3:-}" = fail ] && exit 1
exit 0
`;

const LEDGER_HOOK = (kind: string, ledger: string) => `#!/bin/sh
echo "${kind} $RENDER_JOB $RENDER_STATUS $RENDER_CHUNKS_DONE/$RENDER_CHUNKS_TOTAL failed=$RENDER_CHUNKS_FAILED $RENDER_NODE" >> '${ledger}'
`;

test(`${JOBS} jobs of ${CHUNKS} simultaneous chunks on ${NODES} nodes × ${SLOTS} slots: job-done runs once per job; a failed job runs job-failed once`, async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'job events', () => withTempSpool(async (tmp) => {
    const ledger = tmp.path('ledger.txt');
    await fs.writeFile(ledger, '');
    const hooks = tmp.path('hooks');
    await fs.mkdir(hooks);
    await writeScript(path.join(hooks, 'job-done-x'), LEDGER_HOOK('DONE', ledger));
    await writeScript(path.join(hooks, 'job-failed-x'), LEDGER_HOOK('FAILED', ledger));
    const tick = await writeScript(tmp.path('tick.sh'), TICK_SCRIPT);
    const barrier = tmp.path('barrier');
    const good: string[] = [];
    for (let i = 0; i < JOBS; i++) {
      good.push(await submitExec(tmp.spool, ['--frames', `1-${CHUNKS}`, '--chunk', '1', '--hooks', hooks, '--name', `together${i}`], [tick, barrier, String(CHUNKS)]));
    }
    const bad = await submitExec(tmp.spool, ['--frames', `1-${CHUNKS}`, '--chunk', '1', '--retries', '0', '--hooks', hooks, '--name', 'fails'], [tick, barrier, String(CHUNKS), 'fail']);

    const fleet = new Fleet(tmp.spool);
    try {
      for (let i = 1; i <= NODES; i++) fleet.start(`ev${i}`, { slots: SLOTS, exitWhenIdle: true });
      const exits = await Promise.all(fleet.nodes.map((n) => n.waitExit(TEST_TIMEOUT_MS - 20_000)));
      exits.forEach((exit, i) => assert.equal(exit, { code: 0, signal: null }, fleet.nodes[i].stderr.slice(-3000)));
    } finally {
      await fleet.stopAll();
    }

    const lines = (await fs.readFile(ledger, 'utf8')).split('\n').filter(Boolean);
    const finishers = new Set<string>();
    for (const job of good) {
      const mine = lines.filter((l) => l.split(' ')[1] === job);
      assert.is(mine.length, 1, `job ${job}: hook lines\n${lines.join('\n')}\n${fleet.logs().split('\n').filter((l) => l.includes(job) && /finished|hook/.test(l)).join('\n')}`);
      assert.match(mine[0], new RegExp(`^DONE ${job} ok ${CHUNKS}/${CHUNKS} failed=0 ev\\d$`));
      finishers.add(mine[0].split(' ').pop()!);
      const events = await fs.readFile(path.join(tmp.spool, 'jobs', job, 'logs', 'job-events.log'), 'utf8');
      assert.is(events.match(/: job \S+ done \(/g)?.length, 1, events);
    }
    const failed = lines.filter((l) => l.split(' ')[1] === bad);
    assert.equal(failed.length, 1, lines.join('\n'));
    assert.match(failed[0], new RegExp(`^FAILED ${bad} failed 0/${CHUNKS} failed=${CHUNKS} ev\\d$`));
    assert.is(lines.length, JOBS + 1);

    // the race was real: chunks of a job ended within a short time of each other on many nodes
    const stats = (await Promise.all((await fs.readdir(path.join(tmp.spool, 'stats'))).map((f) => fs.readFile(path.join(tmp.spool, 'stats', f), 'utf8'))))
      .join('').split('\n').filter(Boolean).map((l) => JSON.parse(l) as { job: string; node: string; end: string });
    // (a recorded end includes the chunk lock and the rewrite: twelve at once spread it over some 100s of ms)
    const spreads = [...good, bad].map((job) => {
      const mine = stats.filter((s) => s.job === job);
      const ends = mine.map((s) => Date.parse(s.end));
      assert.is(new Set(mine.map((s) => s.node)).size, NODES, `job ${job} ran on every node`);
      return Math.max(...ends) - Math.min(...ends);
    });
    console.log(`    job events: ${JOBS + 1} jobs finished by ${finishers.size} different node(s); recorded chunk ends within ${spreads.join(', ')} ms`);
    assert.ok(spreads.every((ms) => ms < 1500), 'the chunks of each job ended together');
  }));
});

test.run();
