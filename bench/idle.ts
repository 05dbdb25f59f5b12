// Idle cost: the system calls an idle renderd makes per second, counted by `strace -c -f -p PID` over a
// window, and its resident size. Invariant 6: constant, whatever the number of chunks on the spool.
import fs from 'node:fs';
import path from 'node:path';
import { spawn } from 'node:child_process';
import { hasCommand, namesIn, rssMiB, sleep, startNode, stopNode, waitFor } from './support.js';

/** Calls that name a path or read a directory, plus fsync: the work an idle poll does on the spool. */
export const SPOOL_FS_CALLS = new Set([
  'open', 'openat', 'openat2', 'stat', 'lstat', 'newfstatat', 'statx', 'access', 'faccessat', 'faccessat2', 'rename', 'renameat',
  'renameat2', 'mkdir', 'mkdirat', 'rmdir', 'unlink', 'unlinkat', 'readlink', 'readlinkat', 'utimensat', 'getdents64', 'fsync',
  'fdatasync', 'inotify_add_watch',
]);

export interface IdleSample {
  label: string;
  seconds: number;
  totalPerSec: number;
  spoolFsPerSec: number;
  fsyncPerSec: number;
  /** The biggest callers: name → calls per second. */
  top: [string, number][];
  rssMiB?: number;
}

/** Parses the table `strace -c` prints: name → calls. */
export function parseStraceSummary(text: string): Map<string, number> {
  const calls = new Map<string, number>();
  for (const line of text.split('\n')) {
    const tokens = line.trim().split(/\s+/);
    if (tokens.length < 5 || !/^\d+\.\d+$/.test(tokens[0])) continue;
    const name = tokens[tokens.length - 1];
    if (name === 'total') continue;
    calls.set(name, Number(tokens[3]));
  }
  return calls;
}

/** Counts `pid`'s system calls (all its threads and children) for `seconds`. */
export async function straceCounts(pid: number, seconds: number, outFile: string): Promise<Map<string, number>> {
  const strace = spawn('strace', ['-c', '-f', '-p', String(pid), '-o', outFile], { stdio: 'ignore' });
  const exited = new Promise<void>((resolve) => strace.on('exit', () => resolve()));
  await sleep(seconds * 1000);
  strace.kill('SIGINT');
  await exited;
  return parseStraceSummary(fs.readFileSync(outFile, 'utf8'));
}

/**
 * Starts an idle node on `spool` with `flags`, lets it settle, counts its calls for `seconds`, reads its
 * RSS, stops it.
 */
export async function measureIdleNode(label: string, spool: string, flags: string[], seconds: number, workDir: string): Promise<IdleSample> {
  if (!hasCommand('strace')) throw new Error('strace is not installed (apt-get install strace)');
  const name = `idle-${label.replace(/[^a-z0-9]+/gi, '-').toLowerCase()}`.slice(0, 40);
  const node = startNode(spool, name, flags, workDir);
  try {
    await waitFor(`node ${name} to register`, () => (namesIn(path.join(spool, 'nodes')).includes(`${name}.json`) ? true : undefined), 30_000);
    await sleep(3000); // past the start-up sweep and the first full check of jobs/
    const calls = await straceCounts(node.child.pid!, seconds, path.join(workDir, `${name}.strace`));
    const rss = rssMiB(node.child.pid!);
    let total = 0;
    let spoolFs = 0;
    for (const [call, n] of calls) {
      total += n;
      if (SPOOL_FS_CALLS.has(call)) spoolFs += n;
    }
    const top = [...calls].sort((a, b) => b[1] - a[1]).slice(0, 6).map(([c, n]) => [c, n / seconds] as [string, number]);
    return { label, seconds, totalPerSec: total / seconds, spoolFsPerSec: spoolFs / seconds, fsyncPerSec: (calls.get('fsync') ?? 0) / seconds, top, rssMiB: rss };
  } finally {
    await stopNode(node);
  }
}

export function describeIdle(sample: IdleSample): string {
  const top = sample.top.map(([c, n]) => `${c} ${n.toFixed(1)}`).join(', ');
  return `- ${sample.label}: ${sample.totalPerSec.toFixed(1)} syscalls/s, ${sample.spoolFsPerSec.toFixed(1)} path/dir/fsync calls/s, ${sample.fsyncPerSec.toFixed(2)} fsync/s over ${sample.seconds} s; RSS ${sample.rssMiB?.toFixed(1) ?? '?'} MiB; top: ${top}`;
}
