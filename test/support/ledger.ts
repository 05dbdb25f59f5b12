// A ledger: the command of a test job appends START / TICK / END lines to one file (O_APPEND, so the
// file's line order is the order the writes happened on this kernel, whatever any process's clock says).
// From it the tests check that every chunk ran to completion once and that attempts never overlapped.
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';

export interface LedgerEvent {
  /** KILL: written by the test itself, right after it SIGKILLed `node`. */
  kind: 'START' | 'TICK' | 'END' | 'KILL';
  job: string;
  chunk: string;
  attempt: number;
  node: string;
  pid: number;
  /** $EPOCHREALTIME of the writer, in µs: skewed under faketime, so only for same-clock checks. */
  timeUs: number;
  /** Line number: the true order of events on this machine. */
  index: number;
}

export interface Attempt {
  job: string;
  chunk: string;
  attempt: number;
  node: string;
  pid: number;
  first: number;
  last: number;
  firstUs: number;
  lastUs: number;
  completed: boolean;
}

// bash, not sh: $EPOCHREALTIME gives the time without forking `date` (2,000 chunks stay cheap).
const WORK_SCRIPT = `#!/bin/bash
# usage: work.sh LEDGER [TICKS] [TICK_SECONDS] [TICKS_AFTER_FIRST_ATTEMPT]: START, TICKS x (sleep, TICK), END
ledger="$1"; ticks="\${2:-0}"; step="\${3:-0.1}"; here="\$(dirname "$0")"
if [ "$RENDER_ATTEMPT" != 1 ] && [ -n "$4" ]; then ticks="$4"; fi
line() { echo "$1 $RENDER_JOB $RENDER_CHUNK $RENDER_ATTEMPT $RENDER_NODE $$ \${EPOCHREALTIME/[.,]/}" >> "$ledger"; }
line START
for ((i = 0; i < ticks; i++)); do "$here/sleep" "$step"; line TICK; done
line END
`;

export class Ledger {
  /** A string found in the command line of every process of the job's command (for pgrep -f). */
  readonly marker: string;
  readonly binDir: string;
  readonly file: string;
  readonly script: string;

  private constructor(dir: string) {
    this.marker = `renderd-work-${randomBytes(4).toString('hex')}`;
    this.binDir = path.join(dir, this.marker);
    this.file = path.join(dir, 'ledger.txt');
    this.script = path.join(this.binDir, 'work.sh');
  }

  /** Creates the script (and a `sleep` whose path carries the marker) in `dir`. */
  static async create(dir: string): Promise<Ledger> {
    const ledger = new Ledger(dir);
    await fs.mkdir(ledger.binDir, { recursive: true });
    await fs.writeFile(ledger.script, WORK_SCRIPT, { mode: 0o755 });
    await fs.symlink('/bin/sleep', path.join(ledger.binDir, 'sleep'));
    await fs.writeFile(ledger.file, '');
    return ledger;
  }

  /**
   * The command for `render exec -- …`: START, then `ticks` sleeps of `tickSeconds` each followed by TICK,
   * then END; attempts after the first take `laterTicks` ticks when given.
   */
  command(ticks = 0, tickSeconds = 0.1, laterTicks?: number): string[] {
    return [this.script, this.file, String(ticks), String(tickSeconds), ...(laterTicks === undefined ? [] : [String(laterTicks)])];
  }

  /** Notes in the ledger that the test has just SIGKILLed `node` (and seen it exit). */
  async noteKill(node: string): Promise<void> {
    await fs.appendFile(this.file, `KILL - - 0 ${node} 0 0\n`);
  }

  async events(): Promise<LedgerEvent[]> {
    const text = await fs.readFile(this.file, 'utf8');
    return parseLedger(text);
  }

  async attempts(): Promise<Attempt[]> {
    return attemptsOf(await this.events());
  }
}

export function parseLedger(text: string): LedgerEvent[] {
  return text.split('\n').filter(Boolean).map((line, index) => {
    const [kind, job, chunk, attempt, node, pid, time] = line.split(' ');
    if (kind !== 'START' && kind !== 'TICK' && kind !== 'END' && kind !== 'KILL') throw new Error(`ledger line ${index + 1} is garbled: ${JSON.stringify(line)}`);
    return { kind, job, chunk, attempt: Number(attempt), node, pid: Number(pid), timeUs: Number(time), index };
  });
}

/** Groups events into attempts: one per (job, chunk, attempt, pid). */
export function attemptsOf(events: LedgerEvent[]): Attempt[] {
  const byKey = new Map<string, Attempt>();
  for (const e of events) {
    if (e.kind === 'KILL') continue;
    const key = `${e.job}/${e.chunk}/${e.attempt}/${e.pid}`;
    const a = byKey.get(key);
    if (!a) {
      byKey.set(key, { job: e.job, chunk: e.chunk, attempt: e.attempt, node: e.node, pid: e.pid, first: e.index, last: e.index, firstUs: e.timeUs, lastUs: e.timeUs, completed: e.kind === 'END' });
    } else {
      a.last = e.index;
      a.lastUs = e.timeUs;
      if (e.kind === 'END') a.completed = true;
    }
  }
  return [...byKey.values()];
}

/**
 * Pairs of attempts of one chunk whose lifetimes overlap, in ledger order (skew-proof) and, with
 * `byTime`, in wall time too (only meaningful when every writer shares one clock).
 */
export function overlappingAttempts(attempts: Attempt[], { byTime = false } = {}): string[] {
  const problems: string[] = [];
  const byChunk = new Map<string, Attempt[]>();
  for (const a of attempts) byChunk.set(`${a.job}/${a.chunk}`, [...(byChunk.get(`${a.job}/${a.chunk}`) ?? []), a]);
  for (const [chunk, list] of byChunk) {
    list.sort((x, y) => x.first - y.first);
    for (let i = 1; i < list.length; i++) {
      const [prev, next] = [list[i - 1], list[i]];
      const describe = (a: Attempt) => `attempt ${a.attempt} on ${a.node} pid ${a.pid}`;
      if (next.first < prev.last) problems.push(`chunk ${chunk}: ${describe(next)} started (line ${next.first + 1}) before ${describe(prev)} ended (line ${prev.last + 1})`);
      else if (byTime && next.firstUs < prev.lastUs) problems.push(`chunk ${chunk}: ${describe(next)} started at ${next.firstUs} before ${describe(prev)} ended at ${prev.lastUs}`);
    }
  }
  return problems;
}

/** Chunks of `job` (ids in `expected`) not completed exactly once, and completed chunks nobody expected. */
export function completionProblems(attempts: Attempt[], job: string, expected: string[]): string[] {
  const completed = new Map<string, number>();
  for (const a of attempts) if (a.completed && a.job === job) completed.set(a.chunk, (completed.get(a.chunk) ?? 0) + 1);
  const problems: string[] = [];
  for (const chunk of expected) {
    const n = completed.get(chunk) ?? 0;
    if (n !== 1) problems.push(`chunk ${chunk} completed ${n} times`);
  }
  const known = new Set(expected);
  for (const chunk of completed.keys()) if (!known.has(chunk)) problems.push(`unexpected chunk ${job}/${chunk} in ledger`);
  return problems;
}

/**
 * Like completionProblems, for a farm whose nodes get SIGKILLed: a hook may end and its node be killed
 * before it records the result, so the chunk rightly runs again. A chunk may then have several completed
 * attempts, but every one except the last must be followed by a KILL of its node before the next attempt
 * starts, and the last must be the attempt `recorded` says is done.
 */
export function completionProblemsWithKills(events: LedgerEvent[], job: string, recorded: Map<string, number>): string[] {
  const attempts = attemptsOf(events).filter((a) => a.job === job).sort((x, y) => x.first - y.first);
  const kills = events.filter((e) => e.kind === 'KILL');
  const problems: string[] = [];
  for (const [chunk, doneAttempt] of recorded) {
    const list = attempts.filter((a) => a.chunk === chunk);
    const completed = list.filter((a) => a.completed);
    const last = completed[completed.length - 1];
    if (!last) { problems.push(`chunk ${chunk} never completed`); continue; }
    if (last.attempt !== doneAttempt) problems.push(`chunk ${chunk}: recorded done on attempt ${doneAttempt}, but the last run to complete was attempt ${last.attempt}`);
    for (const a of completed.slice(0, -1)) {
      const next = list.find((b) => b.first > a.last);
      const killed = kills.some((k) => k.node === a.node && k.index > a.last && (!next || k.index < next.first));
      if (!killed) problems.push(`chunk ${chunk}: attempt ${a.attempt} on ${a.node} completed, yet ran again as attempt ${next?.attempt} without its node being killed in between`);
    }
  }
  return problems;
}

/** Pids whose command line contains `marker` (pgrep -f); [] when none. */
export function processesMatching(marker: string): Promise<number[]> {
  return new Promise((resolve, reject) => {
    execFile('pgrep', ['-f', marker], (error, stdout) => {
      if (error && (error as { code?: number }).code === 1) return resolve([]);
      if (error) return reject(error);
      resolve(stdout.split('\n').filter(Boolean).map(Number).filter((pid) => pid !== process.pid));
    });
  });
}

/** Of the processes carrying `marker`, those started for `node` (RENDER_NODE in their environment). */
export async function processesOfNode(marker: string, node: string): Promise<number[]> {
  const pids = await processesMatching(marker);
  const wanted = `RENDER_NODE=${node}\0`;
  const results = await Promise.all(pids.map(async (pid) => {
    try {
      return (await fs.readFile(`/proc/${pid}/environ`, 'latin1')).includes(wanted) ? pid : null;
    } catch {
      return null; // exited meanwhile
    }
  }));
  return results.filter((pid): pid is number => pid !== null);
}

/** Cleanup after a failed orphan check: SIGKILLs whatever still carries the marker. */
export async function killMatching(marker: string): Promise<void> {
  for (const pid of await processesMatching(marker)) {
    try { process.kill(pid, 'SIGKILL'); } catch { /* gone meanwhile */ }
  }
}
