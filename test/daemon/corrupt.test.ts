// A corrupt or hostile chunk info file appears while nodes run (invariant 3 and 7): it is quarantined with
// one clear log line naming it, no node crashes, and the other job finishes.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Fleet, renderJson, runRender, showJob, submitExec, waitJobEnded, waitUntil, withTempSpool, withTimeout, writeScript, type ChunkCountsJson, type ShowJson, type TempSpool } from '../support/index.js';

const TEST_TIMEOUT_MS = 80_000;
const VICTIM = '0005';

type Corrupt = (file: string, tmp: TempSpool, job: string) => Promise<void>;

interface Outcome {
  a: ShowJson;
  b: ShowJson;
  /** Job A after `render retry` ran its quarantined chunk again. */
  retried: ShowJson;
  quarantined: string[];
  lines: string[];
  /** Every node's log, for failure messages. */
  logs: string;
}

const validChunk = (job: string) => JSON.stringify({ v: 1, job, id: VICTIM, frames: [5], state: 'queued', rev: 0, attempt: 0, failures: 0, history: [] });

/** Replaces `file` in one rename, as a writer on another host would. */
async function replaceWith(file: string, content: string): Promise<void> {
  const tmpFile = `${path.dirname(file)}/.corrupt.tmp`;
  await fs.writeFile(tmpFile, content);
  await fs.rename(tmpFile, file);
}

const CASES: [string, Corrupt, RegExp][] = [
  ['bad JSON', (file) => replaceWith(file, '{"v":1,"job":'), /is not valid JSON/],
  ['wrong types', (file, _tmp, job) => replaceWith(file, validChunk(job).replace('"frames":[5]', '"frames":"5"').replace('"rev":0', '"rev":"zero"')), /fails validation \(frames: expected an array, got string\)/],
  ['a symlink out of the spool', async (file, tmp, job) => {
    const outside = tmp.path('outside.json');
    await fs.writeFile(outside, validChunk(job));
    const link = `${path.dirname(file)}/.corrupt.link`;
    await fs.symlink(outside, link);
    await fs.rename(link, file);
  }, /is a symbolic link/],
];

const outcomes = new Map<string, Outcome>();

/** Job B runs; job A waits paused while one of its chunk files is corrupted, then is resumed. */
async function scenario(tmp: TempSpool, corrupt: Corrupt, finishWithinMs: number): Promise<Outcome> {
  const work = await writeScript(tmp.path('bin', 'work'), 'sleep 0.1\n');
  const b = await submitExec(tmp.spool, ['--frames', '1-30', '--chunk', '1', '--retries', '0', '--name', 'B'], [work]);
  const a = await submitExec(tmp.spool, ['--frames', '1-10', '--chunk', '1', '--retries', '0', '--name', 'A', '--priority', '5', '--paused'], [work]);
  const fleet = new Fleet(tmp.spool);
  try {
    fleet.start('c1');
    fleet.start('c2');
    await waitUntil('job B to be under way', async () => (await showJob(tmp.spool, b)).chunks.done >= 3, 20_000, 100);
    await corrupt(path.join(tmp.spool, 'jobs', a, 'queued', `${VICTIM}.json`), tmp, a);
    const resumed = await runRender(['--spool', tmp.spool, 'resume', a]);
    assert.is(resumed.code, 0, resumed.stderr);
    // counts only (render list reads no chunk file): `render show A` would read — and quarantine — the
    // corrupt file itself, racing the nodes for it
    const finished = (c: ChunkCountsJson) => c.queued === 0 && c.running === 0;
    await waitUntil('both jobs to finish', async () => {
      const jobs = await renderJson<{ id: string; chunks: ChunkCountsJson }[]>(tmp.spool, ['list']);
      return jobs.length === 2 && jobs.every((j) => finished(j.chunks));
    }, finishWithinMs, 200).catch((error: Error) => { throw new Error(`${error.message}\n${fleet.logs().slice(-3000)}`); });
    const [showA, showB] = [await showJob(tmp.spool, a), await showJob(tmp.spool, b)];
    const quarantined = await fs.readdir(path.join(tmp.spool, 'quarantine'));
    for (const node of fleet.nodes) assert.ok(node.running, `node ${node.name} still running: ${JSON.stringify(node.exit)}\n${node.stderr.slice(-2000)}`);
    const lines = fleet.nodes.flatMap((n) => n.lines(new RegExp(`${VICTIM}\\.json`)));
    // the quarantined chunk came back as failed: render retry runs it
    assert.is((await runRender(['--spool', tmp.spool, 'retry', a])).code, 0);
    const retried = await waitJobEnded(tmp.spool, a, finishWithinMs, 200, 'job A to finish after retry');
    assert.equal(fleet.nodes.flatMap((n) => n.lines(/fatal|TypeError|SyntaxError|at .*\.js:\d+/)), [], 'no crash, no stack trace');
    return { a: showA, b: showB, retried, quarantined, lines, logs: fleet.logs() };
  } finally {
    await fleet.stopAll();
  }
}

for (const [name, corrupt, reason] of CASES) {
  test(`corrupt chunk file (${name}): quarantined, one log line naming it, nodes keep running, job B done`, async () => {
    await withTimeout(TEST_TIMEOUT_MS, name, () => withTempSpool(async (tmp) => {
      const outcome = await scenario(tmp, corrupt, 45_000);
      outcomes.set(name, outcome);
      const a = outcome.a.id;
      const context = `\nnode logs:\n${outcome.logs.split('\n').filter((l) => !/attempt 1: done/.test(l)).join('\n').slice(-3000)}`;
      assert.is(outcome.b.state, 'done', context);
      assert.equal(outcome.b.chunks, { total: 30, queued: 0, running: 0, done: 30, failed: 0 }, context);
      assert.is(outcome.quarantined.length, 1, `quarantine holds ${outcome.quarantined.join(', ')}${context}`);
      assert.match(outcome.quarantined[0], new RegExp(`^jobs~${a}~queued~${VICTIM}\\.json\\.\\d+\\.[0-9a-f]+$`));
      assert.is(outcome.lines.length, 1, `one log line names the file:\n${outcome.lines.join('\n')}${context}`);
      assert.match(outcome.lines[0], new RegExp(`quarantined jobs/${a}/queued/${VICTIM}\\.json: .*`));
      assert.match(outcome.lines[0], reason);
      assert.match(outcome.lines[0], /moved to quarantine\//);
      // every other chunk of A ran
      assert.is(outcome.a.chunks.done, 9, context);
      const kept = path.join(tmp.spool, 'quarantine', outcome.quarantined[0]);
      if (name.includes('symlink')) {
        assert.ok((await fs.lstat(kept)).isSymbolicLink(), 'the link itself was moved aside');
        assert.is(await fs.readFile(tmp.path('outside.json'), 'utf8'), validChunk(a), 'its target untouched');
      } else {
        assert.ok((await fs.lstat(kept)).isFile());
      }
    }));
  });
}

// Regression (found by this suite, fixed in 2f85147): a quarantined chunk vanished from its job, which then
// reported `done` with 9 of its 10 chunks (invariant 1). It now comes back failed, and retry runs it.
test('a quarantined chunk is not silently dropped: job A is failed with it, and render retry finishes it', () => {
  assert.ok(outcomes.size > 0, 'the scenarios above ran');
  for (const [name, { a, retried }] of outcomes) {
    assert.equal(a.chunks, { total: 10, queued: 0, running: 0, done: 9, failed: 1 }, `${name}: job A is ${a.state} with ${JSON.stringify(a.chunks)}`);
    assert.is(a.state, 'failed', name);
    const standIn = a.chunkList.find((c) => c.id === VICTIM)!;
    assert.equal([standIn.state, standIn.frames], ['failed', [5]], name);
    assert.match(standIn.error ?? '', /corrupt/, name);
    assert.is(retried.state, 'done', `${name}: after render retry`);
    assert.is(retried.chunkList.find((c) => c.id === VICTIM)!.state, 'done', name);
  }
});

// Regression (found by this suite, fixed in 2f85147): without O_NONBLOCK a FIFO named like a chunk file
// blocked open() for ever: the node that tried to claim it hung in its claim loop (holding the chunk's
// lock, which it kept refreshing) and `render show` of that job hung too. Unit test in test/spool/records.test.ts.
test('a FIFO in place of a chunk file stalls no node and no command', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'fifo', () => withTempSpool(async (tmp) => {
    const work = await writeScript(tmp.path('bin', 'work'), 'sleep 0.1\n');
    const b = await submitExec(tmp.spool, ['--frames', '1-30', '--chunk', '1', '--retries', '0', '--name', 'B'], [work]);
    const a = await submitExec(tmp.spool, ['--frames', '1-10', '--chunk', '1', '--retries', '0', '--name', 'A', '--priority', '5', '--paused'], [work]);
    const fifo = path.join(tmp.spool, 'jobs', a, 'queued', `${VICTIM}.json`);
    const fleet = new Fleet(tmp.spool);
    try {
      fleet.start('c1');
      fleet.start('c2');
      await waitUntil('job B to be under way', async () => (await showJob(tmp.spool, b)).chunks.done >= 3, 20_000, 100);
      await fs.rm(fifo);
      execFileSync('mkfifo', [fifo]);
      assert.is((await runRender(['--spool', tmp.spool, 'resume', a])).code, 0);
      await waitUntil('job B to finish', async () => (await showJob(tmp.spool, b)).state === 'done', 20_000, 200);
      // both nodes must still claim: a new urgent job gets chunks run on each of them
      const c = await submitExec(tmp.spool, ['--frames', '1-12', '--chunk', '1', '--retries', '0', '--name', 'C', '--priority', '9'], [await writeScript(tmp.path('bin', 'slow'), 'sleep 0.5\n')]);
      await waitUntil('job C to finish', async () => (await showJob(tmp.spool, c)).state === 'done', 20_000, 200);
      for (const node of fleet.nodes) assert.ok(node.lines(new RegExp(`chunk ${c}/\\d+ attempt 1: done`)).length > 0, `${node.name} ran none of job C: it is stalled`);
      const show = await runRender(['--spool', tmp.spool, 'show', a, '--json'], { timeoutMs: 10_000 }).catch((e: Error) => ({ code: -1, stdout: '', stderr: e.message }));
      assert.is(show.code, 0, `render show of job A: ${show.stderr.split('\n')[0]}`);
      assert.is((await fs.readdir(path.join(tmp.spool, 'quarantine'))).length, 1, 'the FIFO was quarantined');
    } finally {
      // release every open() still blocked on the FIFO, wherever it is now, so processes can exit
      const quarantined = await fs.readdir(path.join(tmp.spool, 'quarantine')).catch(() => [] as string[]);
      for (const f of [fifo, ...quarantined.map((q) => path.join(tmp.spool, 'quarantine', q))]) {
        const handle = await fs.open(f, fs.constants.O_WRONLY | fs.constants.O_NONBLOCK).catch(() => null);
        await handle?.close();
      }
      await fleet.stopAll();
    }
  }));
});

test.run();
