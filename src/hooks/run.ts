// Running one hook script in its own process group, under a guard that kills the group if renderd
// dies (even by SIGKILL): setpriv gives the guard a parent-death signal, the guard's trap kills the group.
import fs from 'node:fs';
import { constants } from 'node:fs';
import { execa } from 'execa';

/** The guard: start the hook, wait for it; on TERM (renderd died, or a stop) kill the whole group. */
const GUARD_SCRIPT = 'trap "kill -KILL 0" TERM; "$@" & wait $!';
const SETPRIV = ['/usr/bin/setpriv', '/bin/setpriv'].find((p) => fs.existsSync(p));
const IONICE = ['/usr/bin/ionice', '/bin/ionice'].find((p) => fs.existsSync(p));

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
}

export interface HookOutcome {
  ok: boolean;
  exitCode?: number;
  signal?: string;
  timedOut: boolean;
  stopped: boolean;
  /** Why it failed, in words for the log. */
  reason?: string;
}

const KILL_GRACE_MS = 5000;

export function guardedArgv(command: string[], nice: number, ioIdle = false): string[] {
  // a niced render also yields the disk: lowest best-effort IO, or idle-only IO in background mode
  const io = IONICE && (ioIdle || nice > 0) ? [IONICE, '-c', ioIdle ? '3' : '2', ...(ioIdle ? [] : ['-n', '7'])] : [];
  const niced = [...(nice > 0 ? ['nice', '-n', String(nice)] : []), ...io];
  const guard = ['sh', '-c', GUARD_SCRIPT, 'renderd-guard', ...command];
  return SETPRIV ? [SETPRIV, '--pdeathsig', 'TERM', ...niced, ...guard] : [...niced, ...guard];
}

export async function runHook(options: HookRunOptions): Promise<HookOutcome> {
  const notRunnable = checkRunnable(options.command[0]);
  if (notRunnable) return { ok: false, timedOut: false, stopped: false, reason: notRunnable };
  const [file, ...args] = guardedArgv(options.command, options.nice, options.ioIdle);
  const child = execa(file, args, {
    cwd: options.cwd,
    env: options.env,
    extendEnv: true,
    detached: true,
    stdin: 'ignore',
    buffer: false,
    reject: false,
    stripFinalNewline: false,
  });
  if (child.pid) options.onSpawn?.(child.pid);
  let timedOut = false;
  let silent = false;
  let stopped = false;
  const killGroup = (sig: NodeJS.Signals) => {
    try { if (child.pid) process.kill(-child.pid, sig); } catch { /* the group is already gone */ }
  };
  const stop = (why: 'timeout' | 'silence' | 'stop') => {
    if (why === 'timeout') timedOut = true; else if (why === 'silence') silent = true; else stopped = true;
    killGroup('SIGTERM');
    setTimeout(() => killGroup('SIGKILL'), KILL_GRACE_MS).unref();
  };
  const timer = options.timeoutMs ? setTimeout(() => stop('timeout'), options.timeoutMs) : undefined;
  let silence: NodeJS.Timeout | undefined;
  const armSilence = () => {
    if (!options.silenceTimeoutMs) return;
    clearTimeout(silence);
    silence = setTimeout(() => stop('silence'), options.silenceTimeoutMs);
  };
  armSilence();
  const onAbort = () => stop('stop');
  options.signal.addEventListener('abort', onAbort, { once: true });
  if (options.signal.aborted) onAbort();
  const onLine = (line: string) => { armSilence(); options.onLine(line); };
  const reading = [child.stdout, child.stderr].map((stream) => stream && forEachLine(stream, onLine));
  try {
    const result = await child;
    await Promise.all(reading);
    const exitCode = result.exitCode;
    const ok = exitCode === 0 && !timedOut && !silent && !stopped;
    const reason = silent ? `printed nothing for ${Math.round((options.silenceTimeoutMs ?? 0) / 1000)}s (--silence-timeout)`
      : describeFailure(exitCode, result.signal, timedOut, stopped, options.timeoutMs);
    return { ok, exitCode, signal: result.signal ?? undefined, timedOut: timedOut || silent, stopped, reason: ok ? undefined : reason };
  } finally {
    if (timer) clearTimeout(timer);
    clearTimeout(silence);
    options.signal.removeEventListener('abort', onAbort);
  }
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

async function forEachLine(stream: NodeJS.ReadableStream, onLine: (line: string) => void): Promise<void> {
  let rest = '';
  stream.setEncoding('utf8');
  for await (const chunk of stream as AsyncIterable<string>) {
    const parts = (rest + chunk).split(/\r?\n|\r/);
    rest = parts.pop() ?? '';
    for (const line of parts) onLine(line);
  }
  if (rest) onLine(rest);
}
