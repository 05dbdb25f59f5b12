// Running one hook script in its own process group. The launcher (launcher.ts) forks it at the hook
// niceness; without Perl it is spawned directly under this process's guard (guard.ts), niced through
// the spawning thread (priority.ts). Either way renderd dying, even by SIGKILL, kills the group, and
// whatever the hook leaves running in its group is killed when it ends.
import fs from 'node:fs';
import { constants } from 'node:fs';
import { spawn } from 'node:child_process';
import { hookGuard } from './guard.js';
import { hookLauncher } from './launcher.js';
import { applyHookPriority } from './priority.js';
import { hookLeaseValid, leasedMark, LEASE_EXPIRED } from '../liveness/lease.js';
import { PausableTimer, type Suspension } from './pausable-timer.js';
import { LineSplitter } from './line-splitter.js';

export interface HookRunOptions {
  command: string[];
  cwd: string;
  env: Record<string, string>;
  /** Niceness for the hook's whole process tree, so a workstation stays usable. */
  nice: number;
  /** Disk access only when nobody else wants it (background mode). */
  ioIdle?: boolean;
  /** Called with the process group id once the hook runs (to suspend and resume it). */
  onSpawn?: (pgid: number) => void;
  timeoutMs?: number;
  /** Fail the hook when it prints nothing for this long. */
  silenceTimeoutMs?: number;
  /** Every line the hook prints, stdout and stderr alike. */
  onLine: (line: string) => void;
  signal: AbortSignal;
  /** The node's lease (lease.ts): the hook is refused, or killed by its guard, once that has run out. */
  lease?: string;
  /** While suspended (--idle-only, user at the machine), --timeout and --silence-timeout stop counting. */
  suspension?: Suspension;
  /** Work renderd does itself in place of running `command` (a stock hook it knows: in-place.ts). */
  inPlace?: InPlaceWork;
}

/** What a hook done in place prints, and the process group doing its work, if any (a warm Blender). */
export interface InPlaceIO {
  stdout(data: Buffer): void;
  stderr(data: Buffer): void;
  spawned(pgid: number): void;
}

/** Its exit code, or why it could not be done in place (then the hook runs as a process; '' says nothing). */
export type InPlaceEnd = { code: number } | { fallback: string };

/** A hook's work done by renderd: the same output, exit code, timeouts and stops as the hook's process. */
export type InPlaceWork = (io: InPlaceIO, signal: AbortSignal) => Promise<InPlaceEnd>;

export interface HookOutcome {
  ok: boolean;
  exitCode?: number;
  signal?: string;
  timedOut: boolean;
  stopped: boolean;
  /** Why it failed, in words for the log. */
  reason?: string;
  /** Done in place, it could not be (why): run the hook's process instead. */
  fallback?: string;
}

const KILL_GRACE_MS = 5000;

/** renderd's environment, copied once: reading process.env goes to the C library var by var (~0.1 ms a hook). */
let inherited: Record<string, string> | undefined;
export const inheritedEnv = () => (inherited ??= { ...process.env as Record<string, string> });

export async function runHook(options: HookRunOptions): Promise<HookOutcome> {
  const notRunnable = options.inPlace ? undefined : checkRunnable(options.command[0]);
  if (notRunnable) return { ok: false, timedOut: false, stopped: false, reason: notRunnable };
  if (options.lease && !hookLeaseValid(options.lease)) return { ok: false, timedOut: false, stopped: true, reason: LEASE_EXPIRED };
  let timedOut = false;
  let silent = false;
  let stopped = false;
  const silence = new PausableTimer(() => stop('silence'));
  const timer = new PausableTimer(() => stop('timeout'));
  // suspended time is not the hook's: both timers wait while the node has it stopped
  const follow = (suspended: boolean) => { for (const t of [silence, timer]) if (suspended) t.pause(); else t.resume(); };
  if (options.suspension?.suspended) follow(true);
  const unfollow = options.suspension?.listen(follow);
  const armSilence = () => {
    if (options.silenceTimeoutMs) silence.arm(options.silenceTimeoutMs);
  };
  const onLine = (line: string) => { armSilence(); options.onLine(line); };
  const out = new LineSplitter(onLine);
  const err = new LineSplitter(onLine);
  const started = options.inPlace ? startInPlace(options, options.inPlace, out, err) : await startHook(options, out, err);
  const pgid = started.pid;
  if (pgid) options.onSpawn?.(pgid);
  const killGroup = started.kill ?? ((sig: NodeJS.Signals) => {
    try { if (pgid) process.kill(-pgid, sig); } catch { /* the group is already gone */ }
  });
  let graceTimer: NodeJS.Timeout | undefined;
  function stop(why: 'timeout' | 'silence' | 'stop') {
    if (why === 'timeout') timedOut = true; else if (why === 'silence') silent = true; else stopped = true;
    killGroup('SIGTERM');
    graceTimer ??= setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS);
  }
  if (options.timeoutMs) timer.arm(options.timeoutMs);
  armSilence();
  const onAbort = () => stop('stop');
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) onAbort();
  try {
    let ended = await started.ended;
    out.end();
    err.end();
    if ('error' in ended) {
      const { error } = ended;
      const reason = error.code === 'ENOENT' ? `${options.command[0]}: command not found` : error.code === 'EACCES' ? `${options.command[0]} is not executable (chmod +x it)` : `${options.command[0]}: ${error.message}`;
      return { ok: false, exitCode: error.code === 'ENOENT' ? 127 : 126, timedOut: false, stopped, reason };
    }
    if ('fallback' in ended && !timedOut && !silent && !stopped) return { ok: false, timedOut: false, stopped: false, fallback: ended.fallback };
    if ('fallback' in ended) ended = { code: null, signal: null, leftovers: false };
    // killed by its guard: not the hook's failure, the node's (its chunk goes back, no retry used)
    if (ended.leaseExpired) return { ok: false, signal: ended.signal ?? undefined, timedOut: false, stopped: true, reason: LEASE_EXPIRED };
    if (ended.leftovers) options.onLine('[renderd] the hook left processes running in its group: they were killed');
    const exitCode = ended.code ?? undefined;
    const signal = ended.signal ?? undefined;
    const ok = exitCode === 0 && !timedOut && !silent && !stopped;
    const reason = silent ? `printed nothing for ${Math.round((options.silenceTimeoutMs ?? 0) / 1000)}s (--silence-timeout)`
      : describeFailure(exitCode, signal, timedOut, stopped, options.timeoutMs);
    return { ok, exitCode, signal, timedOut: timedOut || silent, stopped, reason: ok ? undefined : reason };
  } finally {
    timer.clear();
    clearTimeout(graceTimer);
    silence.clear();
    unfollow?.();
    options.signal.removeEventListener('abort', onAbort);
  }
}

type HookEnd = { code: number | null; signal: NodeJS.Signals | null; leftovers: boolean; leaseExpired?: boolean } | { error: NodeJS.ErrnoException } | { fallback: string };

interface StartedHook {
  pid: number | undefined;
  ended: Promise<HookEnd>;
  /** How a timeout or a stop ends it, when not by signalling the process group `pid`. */
  kill?: (signal: NodeJS.Signals) => void;
}

/** Work done in place: stopping it aborts it and ends it at once, even while it waits on a hung filesystem. */
function startInPlace(options: HookRunOptions, work: InPlaceWork, out: LineSplitter, err: LineSplitter): StartedHook {
  const abort = new AbortController();
  let killedBy: NodeJS.Signals | undefined;
  let killed!: (end: HookEnd) => void;
  // once it was killed, what it still prints (a render winding down) is not the chunk's any more
  const io: InPlaceIO = {
    stdout: (data) => { if (!killedBy) out.push(data); },
    stderr: (data) => { if (!killedBy) err.push(data); },
    spawned: (pgid) => { if (!killedBy) options.onSpawn?.(pgid); },
  };
  const done = work(io, abort.signal).then(
    (end): HookEnd => ('code' in end ? { code: end.code, signal: null, leftovers: false } : end),
    (error: Error): HookEnd => { io.stderr(Buffer.from(`renderd: ${error.message}\n`)); return { code: 1, signal: null, leftovers: false }; });
  return {
    pid: undefined,
    ended: Promise.race([done, new Promise<HookEnd>((resolve) => { killed = resolve; })]),
    kill: (signal) => {
      killedBy ??= signal;
      abort.abort();
      killed({ code: null, signal: killedBy, leftovers: false });
    },
  };
}

/** Starts the hook (through the launcher when there is one); `ended` waits for all of its output too. */
async function startHook(options: HookRunOptions, out: LineSplitter, err: LineSplitter): Promise<StartedHook> {
  const launcher = hookLauncher(options.nice, options.ioIdle);
  if (launcher) {
    return launcher.launch({
      argv: options.command,
      env: { ...inheritedEnv(), ...options.env },
      cwd: options.cwd,
      lease: options.lease,
      onStdout: (data) => out.push(data),
      onStderr: (data) => err.push(data),
    });
  }
  applyHookPriority(options.nice, options.ioIdle);
  const guard = hookGuard();
  guard.ensure();
  const [file, ...args] = options.command;
  const child = spawn(file!, args, {
    cwd: options.cwd,
    env: { ...inheritedEnv(), ...options.env, [guard.mark.name]: leasedMark(guard.mark.value, options.lease) },
    detached: true, // its own process group, signalled as one
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const pid = child.pid;
  if (pid) guard.track(pid, options.lease);
  child.stdout!.on('data', (data: Buffer) => out.push(data));
  child.stderr!.on('data', (data: Buffer) => err.push(data));
  let leftovers = false;
  child.once('exit', () => {
    // the leader is gone: what it left in its group would hold the pipes open, and outlive the chunk
    try { if (pid) { process.kill(-pid, 'SIGKILL'); leftovers = true; } } catch { /* nothing left */ }
  });
  const ended = new Promise<HookEnd>((resolve) => {
    child.once('error', (error) => resolve({ error }));
    // the shell guard kills a lease's groups on its own; a SIGKILL once the lease ran out was its doing
    child.once('close', (code, signal) => resolve({ code, signal, leftovers, leaseExpired: signal === 'SIGKILL' && Boolean(options.lease) && !hookLeaseValid(options.lease!) }));
  }).finally(() => { if (pid) guard.untrack(pid); });
  return { pid, ended };
}

function checkRunnable(file: string | undefined): string | undefined {
  if (!file) return 'no command to run';
  if (!file.includes('/')) return undefined; // a command looked up in PATH: the shell reports it
  try {
    fs.accessSync(file, constants.X_OK);
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'ENOENT' ? `${file} does not exist` : `${file} is not executable (chmod +x it)`;
  }
  return undefined;
}

function describeFailure(exitCode: number | undefined, signal: string | undefined, timedOut: boolean, stopped: boolean, timeoutMs?: number): string {
  if (timedOut) return `timed out after ${Math.round((timeoutMs ?? 0) / 1000)}s`;
  if (stopped) return 'stopped';
  if (signal) return `killed by ${signal}`;
  // the guard reports a hook killed by signal N as 128+N
  if (exitCode !== undefined && exitCode > 128 && exitCode < 160) return `killed by signal ${exitCode - 128}`;
  if (exitCode === 127) return 'command not found (exit 127)';
  if (exitCode === 126) return 'not executable (exit 126)';
  return `exit code ${exitCode}`;
}
