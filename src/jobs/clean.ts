// `render clean`: finished jobs older than an age leave the spool, so a spool that serves a studio for
// years stays small and fast. Only the job's folder on the spool goes (its info files, logs, hooks
// copy, previews); outputs live outside the spool and are never touched. A job that an unfinished job
// still waits for (--after) stays.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FarmContext } from '../claim/context.js';
import { listJobIds, readJob } from './read.js';
import { summarizeJob } from './summary.js';
import { isFinished, type JobState } from './state.js';
import { removeJob } from './control.js';
import { dropBrokenMarks } from '../spool/broken-marks.js';

export interface CleanRules {
  /** Done jobs whose last chunk ended longer ago than this (ms); undefined: keep every done job. */
  doneOlderThanMs?: number;
  failedOlderThanMs?: number;
  dryRun: boolean;
  nowMs: number;
}

export interface CleanedJob {
  id: string;
  name: string;
  state: JobState;
  /** When its last chunk ended (the newest change of its done/ and failed/ folders). */
  endedAt: string;
  bytes: number;
}

export interface CleanResult {
  jobs: CleanedJob[];
  bytes: number;
  /** Finished and old enough, but an unfinished job still waits for them. */
  kept: { id: string; neededBy: string[] }[];
}

export async function cleanJobs(ctx: FarmContext, rules: CleanRules): Promise<CleanResult> {
  // ages are the filer's mtimes: measured against the filer's own clock, not this machine's
  const nowMs = rules.nowMs + (await filerSkewMs(ctx));
  const candidates: CleanedJob[] = [];
  const neededBy = new Map<string, string[]>();
  for (const id of await listJobIds(ctx)) {
    // a job that cannot be read is not ours to judge: it stays
    const record = await readJob(ctx, id).catch(() => null);
    if (!record) continue;
    const summary = await summarizeJob(ctx, record);
    if (!isFinished(summary.state)) {
      for (const dep of [...record.after, ...(record.afterAny ?? [])]) neededBy.set(dep, [...(neededBy.get(dep) ?? []), id]);
      continue;
    }
    const limit = summary.state === 'done' ? rules.doneOlderThanMs : rules.failedOlderThanMs;
    if (limit === undefined) continue;
    const endedMs = await lastChangeMs(ctx, id);
    if (nowMs - endedMs < limit) continue;
    candidates.push({ id, name: record.name, state: summary.state, endedAt: new Date(endedMs).toISOString(), bytes: await folderBytes(ctx.layout.jobDir(id)) });
  }
  const result: CleanResult = { jobs: [], bytes: 0, kept: [] };
  for (const job of candidates) {
    const waiting = neededBy.get(job.id);
    if (waiting) {
      result.kept.push({ id: job.id, neededBy: waiting });
      continue;
    }
    if (!rules.dryRun) {
      // judged from listings a moment ago: still finished, under the job's lock (a retry may have come)
      const stillFinished = async () => { const record = await readJob(ctx, job.id); return !!record && isFinished((await summarizeJob(ctx, record)).state); };
      if (!(await removeJob(ctx, job.id, stillFinished))) continue;
      await dropBrokenMarks(ctx.layout, job.id);
    }
    result.jobs.push(job);
    result.bytes += job.bytes;
  }
  return result;
}

/** The filer's clock less ours, from the mtime of a file made in tmp/ now (0 when none can be made). */
async function filerSkewMs(ctx: FarmContext): Promise<number> {
  const probe = path.join(ctx.layout.tmp, `.clean-clock.${process.pid}.${Date.now()}`);
  try {
    const before = Date.now();
    await fs.writeFile(probe, '', { flag: 'wx' });
    const after = Date.now();
    return (await fs.stat(probe)).mtimeMs - (before + after) / 2;
  } catch {
    return 0;
  } finally {
    await fs.rm(probe, { force: true }).catch(() => undefined);
  }
}

/** A chunk's end moves its file into done/ or failed/: the newest of those folders' mtimes is the job's end. */
async function lastChangeMs(ctx: FarmContext, job: string): Promise<number> {
  let newest = 0;
  for (const state of ['done', 'failed'] as const) {
    const stat = await fs.stat(ctx.layout.stateDir(job, state)).catch(() => null);
    if (stat) newest = Math.max(newest, stat.mtimeMs);
  }
  if (newest === 0) newest = (await fs.stat(ctx.layout.jobDir(job))).mtimeMs;
  return newest;
}

/** Bytes held by a folder's files (links are not followed). */
async function folderBytes(dir: string): Promise<number> {
  let total = 0;
  for (const entry of await fs.readdir(dir, { withFileTypes: true }).catch(() => [])) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await folderBytes(full);
    else if (entry.isFile()) total += (await fs.lstat(full).catch(() => ({ size: 0 }))).size;
  }
  return total;
}
