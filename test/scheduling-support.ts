// Helpers for the scheduling tests (test/daemon/sched-*.test.ts, test/api/): commands that write the
// shared ledger and then fail or go quiet, concurrency read back from the ledger, and waiting on jobs.
import fs from 'node:fs/promises';
import { renderJson, type Ledger, type LedgerEvent } from './support/index.js';

const quote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/**
 * A command for `render exec` that does the ledger's work (START, `ticks` sleeps, END) and then runs
 * `after` in sh — e.g. `exit 1`, or `[ "$RENDER_NODE" = x ] && exit 1; exit 0`.
 */
export function ledgerThen(ledger: Ledger, after: string, ticks = 0, tickSeconds = 0.1): string[] {
  return ['sh', '-c', `${ledger.command(ticks, tickSeconds).map(quote).join(' ')} || exit 99; ${after}`];
}

/** A command that writes START, prints one line, then stays quiet for `seconds` before END. */
export function goesQuiet(ledger: Ledger, seconds: number): string[] {
  const line = (kind: string) => `echo "${kind} $RENDER_JOB $RENDER_CHUNK $RENDER_ATTEMPT $RENDER_NODE $$ \${EPOCHREALTIME/[.,]/}" >> ${quote(ledger.file)}`;
  return ['bash', '-c', `${line('START')}; echo rendering; sleep ${seconds}; ${line('END')}`];
}

export interface Concurrency {
  /** Most attempts open at one instant (in ledger order). */
  maxAttempts: number;
  /** Most distinct nodes with an open attempt at one instant. */
  maxNodes: number;
  /** Every node that ever started an attempt. */
  nodes: Set<string>;
}

/**
 * Sweeps the ledger in line order: START opens an attempt, END closes it. An attempt that never wrote
 * END (its node was killed) is closed at `openUntil` (a line index), else it stays open to the end.
 */
export function concurrencyOf(events: LedgerEvent[], filter: (e: LedgerEvent) => boolean = () => true, openUntil = Infinity): Concurrency {
  const keyOf = (e: LedgerEvent) => `${e.job}/${e.chunk}/${e.attempt}/${e.pid}`;
  const ended = new Set(events.filter((e) => e.kind === 'END').map(keyOf));
  const open = new Map<string, string>();
  const result: Concurrency = { maxAttempts: 0, maxNodes: 0, nodes: new Set() };
  for (const e of events) {
    if (e.index >= openUntil) for (const [key] of open) if (!ended.has(key)) open.delete(key);
    if (!filter(e)) continue;
    if (e.kind === 'START') {
      open.set(keyOf(e), e.node);
      result.nodes.add(e.node);
    } else if (e.kind === 'END') open.delete(keyOf(e));
    result.maxAttempts = Math.max(result.maxAttempts, open.size);
    result.maxNodes = Math.max(result.maxNodes, new Set(open.values()).size);
  }
  return result;
}

/** The number of lines in the ledger now. */
export async function ledgerLength(ledger: Ledger): Promise<number> {
  return (await fs.readFile(ledger.file, 'utf8')).split('\n').filter(Boolean).length;
}

// one poll of `render show` for every test (test/support/cli.ts)
export { isFinished, waitForJob } from './support/cli.js';

export interface LicenseJson { name: string; count: number; inUse: number; held: string[] }

export function listLicenses(spool: string): Promise<LicenseJson[]> {
  return renderJson<LicenseJson[]>(spool, ['license', 'list']);
}

/** Chunk ids of a job of `n` one-frame chunks, as the splitter names them. */
export function chunkIds(n: number): string[] {
  const width = Math.max(4, String(n).length);
  return Array.from({ length: n }, (_, i) => String(i + 1).padStart(width, '0'));
}

/** Local time as HH:MM. */
const hhmm = (d: Date) => `${String(d.getHours()).padStart(2, '0')}:${String(d.getMinutes()).padStart(2, '0')}`;
const DAY_NAMES = ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'];

/**
 * A --schedule window from `from` to `to` (less than a day apart), written on the day `from` falls on:
 * when it runs past midnight it is an overnight window, which belongs to the day it starts.
 */
export function scheduleWindow(from: Date, to: Date): string {
  const end = to.getDate() !== from.getDate() && to.getHours() === 0 && to.getMinutes() === 0 ? '24:00' : hhmm(to);
  return `${DAY_NAMES[from.getDay()]} ${hhmm(from)}-${end}`;
}
