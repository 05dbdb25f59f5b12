// Reading a full `strace -f` trace of one renderd: each call is given to the daemon (its own threads,
// libuv's pool included) or to the processes it spawned (the hook chain), so the spool I/O per chunk
// can be counted apart from the cost of starting hooks.
import fs from 'node:fs';

export interface CallCounts {
  calls: Map<string, number>;
  errors: Map<string, number>;
}

export interface TraceSplit {
  daemon: CallCounts;
  children: CallCounts;
  /** The daemon's path calls, as "call path-pattern" → count (ids and temp suffixes replaced). */
  daemonPaths: Map<string, number>;
  /** Processes the daemon and its children started. */
  processes: number;
}

const START = /^(\d+)\s+([a-z0-9_]+)\(/;
const PATH_CALLS = new Set(['openat', 'mkdir', 'mkdirat', 'rmdir', 'rename', 'renameat', 'renameat2', 'unlink', 'unlinkat', 'statx', 'newfstatat', 'utimensat', 'access', 'faccessat2']);

/** A path with job ids, chunk numbers and temp-file suffixes replaced, so one chunk's calls add up. */
export function pathPattern(raw: string, spool: string): string {
  return raw
    .replace(spool, 'SPOOL')
    .replace(/\/jobs\/[^/]+/, '/jobs/J')
    .replace(/\.[^/]*\.\d+\.[0-9a-f]+\.tmp$/, '.TMP')
    .replace(/\/\d+(\.\d+)?(\.json|\.log)?$/, '/N$2')
    .replace(/\/renderd\/[0-9a-f]+\.sock$/, '/renderd/SOCK');
}
const RESUMED = /^(\d+)\s+<\.\.\. ([a-z0-9_]+) resumed>/;
const RESULT = /=\s+(-?\d+)(?:\s+([A-Z]+))?/;

function bump(map: Map<string, number>, key: string, by = 1): void {
  map.set(key, (map.get(key) ?? 0) + by);
}

/** Splits the calls of a trace made with `strace -f -qq -o FILE` whose first line is the daemon's. */
export function splitTrace(file: string, spool = '\0'): TraceSplit {
  const lines = fs.readFileSync(file, 'utf8').split('\n');
  const perPid = new Map<number, CallCounts>();
  const pathsPerPid = new Map<number, Map<string, number>>();
  /** pid → the pid whose process it belongs to (threads) or 'child' (a new process). */
  const parentOf = new Map<number, { of: number; thread: boolean }>();
  const pendingClone = new Map<number, string>();
  let root: number | undefined;
  const countsOf = (pid: number) => {
    let counts = perPid.get(pid);
    if (!counts) perPid.set(pid, (counts = { calls: new Map(), errors: new Map() }));
    return counts;
  };
  const noteClone = (pid: number, text: string) => {
    const result = RESULT.exec(text.slice(text.lastIndexOf('=')));
    const child = result ? Number(result[1]) : -1;
    if (child > 0) parentOf.set(child, { of: pid, thread: text.includes('CLONE_THREAD') });
  };
  for (const line of lines) {
    const resumed = RESUMED.exec(line);
    if (resumed) {
      const pid = Number(resumed[1]);
      const call = resumed[2];
      if (/^(clone|clone3|vfork|fork)$/.test(call)) noteClone(pid, (pendingClone.get(pid) ?? '') + line);
      const err = / = -1 ([A-Z]+)/.exec(line);
      if (err) bump(countsOf(pid).errors, call);
      continue;
    }
    const start = START.exec(line);
    if (!start) continue;
    const pid = Number(start[1]);
    const call = start[2];
    root ??= pid;
    bump(countsOf(pid).calls, call);
    if (PATH_CALLS.has(call)) {
      const quoted = /"([^"]*)"/.exec(line);
      if (quoted) {
        let paths = pathsPerPid.get(pid);
        if (!paths) pathsPerPid.set(pid, (paths = new Map()));
        bump(paths, `${call} ${pathPattern(quoted[1], spool)}${/ = -1 ENOENT/.test(line) ? ' (ENOENT)' : ''}`);
      }
    }
    if (/ = -1 [A-Z]+/.test(line)) bump(countsOf(pid).errors, call);
    if (/^(clone|clone3|vfork|fork)$/.test(call)) {
      if (line.includes('<unfinished ...>')) pendingClone.set(pid, line);
      else noteClone(pid, line);
    }
  }
  const isDaemon = (pid: number): boolean => {
    for (let p = pid, guard = 0; guard < 64; guard++) {
      if (p === root) return true;
      const up = parentOf.get(p);
      if (!up || !up.thread) return false;
      p = up.of;
    }
    return false;
  };
  const daemon: CallCounts = { calls: new Map(), errors: new Map() };
  const children: CallCounts = { calls: new Map(), errors: new Map() };
  for (const [pid, counts] of perPid) {
    const into = isDaemon(pid) ? daemon : children;
    for (const [k, v] of counts.calls) bump(into.calls, k, v);
    for (const [k, v] of counts.errors) bump(into.errors, k, v);
  }
  const daemonPaths = new Map<string, number>();
  for (const [pid, paths] of pathsPerPid) if (isDaemon(pid)) for (const [k, v] of paths) bump(daemonPaths, k, v);
  const processes = [...parentOf.values()].filter((p) => !p.thread).length;
  return { daemon, children, daemonPaths, processes };
}

export function total(counts: Map<string, number>): number {
  let sum = 0;
  for (const n of counts.values()) sum += n;
  return sum;
}
