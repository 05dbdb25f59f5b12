// --idle-only suspends a render (SIGSTOP) while a user is at the machine: that time does not count
// against --timeout or --silence-timeout. A real hook, stopped for longer than both, still ends ok.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runHook } from '../../src/hooks/run.js';
import { Suspension } from '../../src/hooks/pausable-timer.js';
import { sleep } from '../support/index.js';

const SUSPENDED_MS = 4000;
const LIMIT_MS = 1500;

/** Runs a short hook that the "user" suspends at once, for SUSPENDED_MS, with or without telling its timers. */
async function suspendedRun(tellTimers: boolean) {
  const suspension = new Suspension();
  let pgid: number | undefined;
  const outcome = runHook({
    command: ['sh', '-c', 'echo one; sleep 0.2; echo two'],
    cwd: '/',
    env: {},
    nice: 0,
    timeoutMs: LIMIT_MS,
    silenceTimeoutMs: LIMIT_MS,
    onLine: () => {},
    signal: new AbortController().signal,
    suspension: tellTimers ? suspension : undefined,
    onSpawn: (id) => {
      pgid = id;
      // reported right after fork, the hook may not have called setsid() yet: then it is alone, stop it
      try { process.kill(-id, 'SIGSTOP'); } catch { process.kill(id, 'SIGSTOP'); }
      suspension.set(true);
    },
  });
  await sleep(SUSPENDED_MS);
  suspension.set(false);
  try { process.kill(-pgid!, 'SIGCONT'); } catch { try { process.kill(pgid!, 'SIGCONT'); } catch { /* ended */ } }
  return outcome;
}

test('a hook suspended for longer than --timeout and --silence-timeout ends ok: suspended time does not count', async () => {
  const outcome = await suspendedRun(true);
  assert.equal([outcome.ok, outcome.timedOut, outcome.reason], [true, false, undefined]);
});

test('the same hook whose timers are not told: timed out (what the suspension prevents)', async () => {
  const outcome = await suspendedRun(false);
  assert.equal([outcome.ok, outcome.timedOut], [false, true]);
});

test.run();
