// Child process for lease.test.ts: runs one hook under a lease, as renderd would, and (plan `block`)
// blocks its own event loop once the hook has started, so only the guard process can act meanwhile.
// Prints {outcome, lines, aliveAfterBlock}: which of the hook's processes were still alive the moment
// the event loop came back, before this process could do anything about them.
import { execFileSync } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import { runHook } from '../../src/hooks/run.js';
import { renewHookLease } from '../../src/liveness/lease.js';

/** `chatty`: a second hook run beside the first, under the same lease (a render printing a line per sample). */
interface Plan { command: string[]; leaseMs: number; blockMs?: number; renewEveryMs?: number; marker: string; chatty?: string[] }
const plan = JSON.parse(process.argv[2] ?? '{}') as Plan;

/** A zombie (killed, not yet reaped by this blocked process) is dead too. */
function alive(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return !/^[ZX]/.test(stat.slice(stat.lastIndexOf(')') + 2));
  } catch {
    return false;
  }
}

function matching(marker: string): number[] {
  try {
    return execFileSync('pgrep', ['-f', marker], { encoding: 'utf8' }).split('\n').filter(Boolean).map(Number).filter((pid) => pid !== process.pid && alive(pid));
  } catch {
    return [];
  }
}

renewHookLease('lease-test', plan.leaseMs);
const renewals = plan.renewEveryMs ? setInterval(() => renewHookLease('lease-test', plan.leaseMs), plan.renewEveryMs) : undefined;
let aliveAfterBlock: number[] | undefined;
const lines: string[] = [];
const chattyLines: string[] = [];
const chatty = plan.chatty ? runHook({
  command: plan.chatty,
  cwd: os.tmpdir(),
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  nice: 0,
  lease: 'lease-test',
  onLine: (line) => { if (!line.startsWith('chatty-')) chattyLines.push(line); },
  signal: new AbortController().signal,
}) : undefined;
const outcome = await runHook({
  command: plan.command,
  cwd: os.tmpdir(),
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  nice: 0,
  lease: 'lease-test',
  onLine: (line) => lines.push(line),
  signal: new AbortController().signal,
  onSpawn: () => {
    if (!plan.blockMs) return;
    // let the hook start its children, then stall as a SIGSTOPped or swapping renderd would
    setTimeout(() => {
      Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, plan.blockMs);
      aliveAfterBlock = matching(plan.marker);
    }, 300);
  },
});
const chattyOutcome = await chatty;
clearInterval(renewals);
process.stdout.write(JSON.stringify({ outcome, lines, aliveAfterBlock, chattyOutcome, chattyLines }));
