// Daemons run in the foreground as children of the test, so every pid is known and killed by pid (never
// by name: other tests may run the same daemons), with their output in a log file of the test's temp dir.
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';

/** Running, not exited (a zombie child counts as exited: it stays until Node reaps it). */
export function isRunning(pid: number): boolean {
  try {
    const stat = fs.readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false; // no /proc entry: gone
  }
}

/** The processes a daemon forked (the master forks a changelog writer). */
export function childrenOf(pid: number): number[] {
  try {
    return fs.readdirSync(`/proc/${pid}/task`).flatMap((task) =>
      fs.readFileSync(`/proc/${pid}/task/${task}/children`, 'utf8').split(' ').filter(Boolean).map(Number));
  } catch {
    return []; // gone
  }
}

export function signalAll(pids: number[], name: NodeJS.Signals): void {
  for (const pid of pids) try { process.kill(pid, name); } catch { /* already gone */ }
}

/** A daemon in the foreground, its output appended to `log`; unref'd so a forgotten volume cannot keep Node alive. */
export function startDaemon(command: string, args: string[], log: string): ChildProcess {
  const fd = fs.openSync(log, 'a');
  try {
    const child = spawn(command, args, { stdio: ['ignore', fd, fd] });
    child.on('error', (error) => fs.appendFileSync(log, `\nspawn ${command}: ${error.message}\n`));
    child.unref();
    return child;
  } finally {
    fs.closeSync(fd);
  }
}

/** What a daemon has logged so far ('' before its first line). */
export function readLog(file: string): string {
  try {
    return fs.readFileSync(file, 'utf8');
  } catch {
    return ''; // not written yet
  }
}

/** Polls `done` until true or `timeoutMs` ran out, blocking (for exit hooks, which cannot await). */
export function waitSync(done: () => boolean, timeoutMs: number): void {
  const deadline = Date.now() + timeoutMs;
  while (!done() && Date.now() < deadline) Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, 50);
}
