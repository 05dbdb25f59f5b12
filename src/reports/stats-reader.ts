// Reading every node's stats file. A line that does not parse is skipped and counted, never fatal:
// a node killed mid-write, a disk that filled up, or a newer format must not break a report.
import fs from 'node:fs/promises';
import { constants } from 'node:fs';
import path from 'node:path';
import type { SpoolLayout } from '../spool/layout.js';
import type { Log } from '../spool/quarantine.js';
import { isMissing, listNames } from '../spool/atomic.js';
import { parseStatLine, type AttemptStat } from './stat-line.js';
import { previousStatsFile, statsDir, statsFile, STATS_SUFFIX } from './paths.js';

export interface StatsRead {
  stats: AttemptStat[];
  /** Lines skipped because they were not valid stat lines, per file name. */
  malformed: Record<string, number>;
}

/** Splits a file's text into stats; the second value counts the lines that were skipped. */
export function parseStatsText(text: string): [AttemptStat[], number] {
  const stats: AttemptStat[] = [];
  let bad = 0;
  for (const line of text.split('\n')) {
    if (line.trim() === '') continue;
    const stat = parseStatLine(line);
    if (stat) stats.push(stat);
    else bad++;
  }
  return [stats, bad];
}

/** Past this a file is read only from its end: reports stay quick on a farm that ran for years. */
export const MAX_STATS_FILE_BYTES = 64 * 1024 * 1024;

/** A stats file's text, or null when it is missing or not a regular file (a symlink is not followed). */
async function readText(file: string, log?: Log): Promise<string | null> {
  let handle;
  try {
    handle = await fs.open(file, constants.O_RDONLY | constants.O_NOFOLLOW);
  } catch (error) {
    if (isMissing(error)) return null;
    if ((error as NodeJS.ErrnoException).code === 'ELOOP') { log?.(`stats: ${file} is a symbolic link: skipped`); return null; }
    throw error;
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) { log?.(`stats: ${file} is not a regular file: skipped`); return null; }
    const length = Math.min(stat.size, MAX_STATS_FILE_BYTES);
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, stat.size - length);
    const text = buffer.subarray(0, bytesRead).toString('utf8');
    // started mid-file: the first (partial) line is not one
    return stat.size > length ? text.slice(text.indexOf('\n') + 1) : text;
  } finally {
    await handle.close();
  }
}

/** Every node's stats; `nodes` limits the read to those nodes' files. */
export async function readStats(layout: SpoolLayout, options: { nodes?: string[]; log?: Log } = {}): Promise<StatsRead> {
  const { nodes, log } = options;
  const names = nodes
    ? nodes.flatMap((node) => [previousStatsFile(layout, node), statsFile(layout, node)].map((file) => path.basename(file)))
    : (await listNames(statsDir(layout))).filter((n) => n.endsWith(STATS_SUFFIX) && !n.startsWith('.')).sort();
  const result: StatsRead = { stats: [], malformed: {} };
  for (const name of names) {
    const text = await readText(path.join(statsDir(layout), name), log);
    if (text === null) continue;
    const [stats, bad] = parseStatsText(text);
    result.stats.push(...stats);
    if (bad > 0) result.malformed[name] = bad;
  }
  return result;
}
