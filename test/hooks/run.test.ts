// runHook through the Perl launcher and, with RENDERD_DIRECT_SPAWN=1, through a direct spawn: output
// lines, exit codes, signals, niceness, leftover processes, and no orphans when the caller is SIGKILLed.
import { spawn } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import type { HookRunOptions } from '../../src/hooks/run.js';
import { processesMatching } from '../support/index.js';

const HERE = path.dirname(fileURLToPath(import.meta.url));
const MODES = { launcher: {}, direct: { RENDERD_DIRECT_SPAWN: '1' } } as const;

/** Runs run-hook-child.js with `request` in a fresh Node process (the spawn mode is chosen at import), returning its JSON. */
function childJson<T>(mode: keyof typeof MODES, request: object): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [path.join(HERE, 'run-hook-child.js'), JSON.stringify(request)], {
      env: { ...process.env, ...MODES[mode] },
      stdio: ['ignore', 'pipe', 'inherit'],
    });
    let out = '';
    child.stdout.on('data', (d: Buffer) => { out += d.toString(); });
    child.on('error', reject);
    child.on('close', () => {
      try { resolve(JSON.parse(out)); } catch { reject(new Error(`child printed ${out}`)); }
    });
  });
}

/** One hook through runHook: its outcome and output lines. */
function runIn(mode: keyof typeof MODES, command: string[], extra: Partial<HookRunOptions> = {}) {
  return childJson<{ outcome: Record<string, unknown>; lines: string[] }>(mode, { command, ...extra });
}

/** Several hooks one after another through one launcher, each with its own environment. */
function runSequence(mode: keyof typeof MODES, sequence: Array<{ command: string[]; env: Record<string, string> }>) {
  return childJson<Array<{ lines: string[] }>>(mode, { command: [], sequence });
}

for (const mode of Object.keys(MODES) as (keyof typeof MODES)[]) {
  test(`${mode}: stdout and stderr lines reach onLine; exit 0 is ok`, async () => {
    const { outcome, lines } = await runIn(mode, ['sh', '-c', 'echo one; echo two >&2; printf "three\\rfour"']);
    assert.is(outcome.ok, true);
    assert.equal([...lines].sort(), ['four', 'one', 'three', 'two']);
  });

  test(`${mode}: an exit code, a signal and a missing command are reported as such`, async () => {
    const failed = await runIn(mode, ['sh', '-c', 'exit 3']);
    assert.equal([failed.outcome.ok, failed.outcome.exitCode, failed.outcome.reason], [false, 3, 'exit code 3']);
    const killed = await runIn(mode, ['sh', '-c', 'kill -TERM $$']);
    assert.equal([killed.outcome.ok, killed.outcome.signal, killed.outcome.reason], [false, 'SIGTERM', 'killed by SIGTERM']);
    const missing = await runIn(mode, ['renderd-no-such-command-xyz']);
    assert.is(missing.outcome.ok, false);
    assert.is(missing.outcome.exitCode, 127);
  });

  test(`${mode}: the hook runs at the niceness asked for, in its own process group, in its folder; what starts it keeps renderd's`, async () => {
    const { lines } = await runIn(mode, ['sh', '-c', 'nice; ps -o pgid= -p $$; echo $$; pwd; ps -o ni= -p $PPID'], { nice: 7, cwd: os.tmpdir() });
    const [nice, pgid, pid, cwd, starterNice] = lines.map((l) => l.trim());
    assert.is(nice, '7');
    assert.is(pgid, pid);
    assert.is(cwd, os.tmpdir());
    // the launcher reaps the hooks and kills them when a lease runs out: never niced with them (a direct
    // spawn, where there is no Perl, renices renderd's main thread, the one that forks)
    if (mode === 'launcher') assert.is(starterNice, String(os.getPriority()));
  });

  test(`${mode}: what the hook leaves running in its group is killed when it ends, and said so`, async () => {
    const { outcome, lines } = await runIn(mode, ['sh', '-c', 'sleep 8.3141 & echo started']);
    assert.is(outcome.ok, true);
    assert.ok(lines.some((l) => l.includes('left processes running')), lines.join('\n'));
    assert.equal(await processesMatching('^sleep 8.3141'), []);
  });

  test(`${mode}: each hook gets exactly its own environment, nothing left from the hook before`, async () => {
    const PATH = process.env.PATH ?? '/usr/bin:/bin';
    const printEnv = ['sh', '-c', 'env | grep ^RENDERD_T_ | sort'];
    const runs = await runSequence(mode, [
      { command: printEnv, env: { PATH, RENDERD_T_ONLY_FIRST: 'a', RENDERD_T_BOTH: 'first' } },
      { command: printEnv, env: { PATH, RENDERD_T_BOTH: 'second', RENDERD_T_ONLY_SECOND: 'b=c' } },
      { command: printEnv, env: { PATH } },
    ]);
    assert.equal(runs.map((r) => r.lines), [
      ['RENDERD_T_BOTH=first', 'RENDERD_T_ONLY_FIRST=a'],
      ['RENDERD_T_BOTH=second', 'RENDERD_T_ONLY_SECOND=b=c'],
      [],
    ]);
  });

  test(`${mode}: SIGKILL of the process running hooks kills them, even one that left the group`, async () => {
    const child = spawn(process.execPath, [path.join(HERE, 'run-hook-child.js'), JSON.stringify({ command: ['sh', '-c', 'setsid sleep 9.2718 & sleep 9.2719'] })], {
      env: { ...process.env, ...MODES[mode] },
      stdio: 'ignore',
    });
    for (let i = 0; i < 100 && (await processesMatching('^sleep 9.271')).length < 2; i++) await new Promise((r) => setTimeout(r, 50));
    assert.is((await processesMatching('^sleep 9.271')).length, 2, 'both sleeps started');
    child.kill('SIGKILL');
    for (let i = 0; i < 60 && (await processesMatching('^sleep 9.271')).length > 0; i++) await new Promise((r) => setTimeout(r, 50));
    assert.equal(await processesMatching('^sleep 9.271'), [], 'no hook process outlives its renderd');
  });
}

test.run();
