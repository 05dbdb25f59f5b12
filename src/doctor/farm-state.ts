// The farm's state as the doctor reads it, without changing anything: broken job folders, quarantined
// files, chunks held by nodes that are gone, jobs that can never run, and the spool's size.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SpoolLayout } from '../spool/layout.js';
import { listNames, readInfoFile } from '../spool/atomic.js';
import { parseJobRecord, type JobRecord, type NodeRecord } from '../spool/records.js';
import { parseRunningName } from '../spool/running-names.js';
import { deriveJobState, isFinished, type JobState } from '../jobs/state.js';
import { noNodeRuns, traitsOfRecord } from '../jobs/eligibility.js';
import type { ChunkCounts } from '../jobs/read.js';
import { readBrokenMarks } from '../spool/broken-marks.js';

export interface JobFound {
  id: string; record?: JobRecord; error?: string; state?: JobState; counts?: ChunkCounts; bytes: number;
  /** What nodes that could not read it said (broken/<job>~<node>), while it waits for them. */
  brokenOn?: string[];
}

export interface FarmFound {
  jobs: JobFound[];
  quarantined: string[];
  /** Running chunks whose claim names a node (instance) that is not alive. */
  stuck: Array<{ job: string; chunk: string; node: string }>;
  totalBytes: number;
}

async function sizeOf(dir: string): Promise<number> {
  let total = 0;
  const entries = await fs.readdir(dir, { withFileTypes: true }).catch(() => []);
  for (const entry of entries) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) total += await sizeOf(full);
    else total += (await fs.lstat(full).catch(() => ({ blocks: 0 }))).blocks * 512;
  }
  return total;
}

async function countsOf(layout: SpoolLayout, job: string): Promise<ChunkCounts> {
  const count = async (state: 'queued' | 'running' | 'done' | 'failed') => (await listNames(layout.stateDir(job, state))).filter((n) => n.endsWith('.json') && !n.startsWith('.')).length;
  const [queued, running, done, failed] = await Promise.all([count('queued'), count('running'), count('done'), count('failed')]);
  return { queued, running, done, failed, total: queued + running + done + failed };
}

/** `alive`: node name → the instance that is alive now (beating or answering). */
export async function readFarmState(layout: SpoolLayout, alive: ReadonlyMap<string, string>): Promise<FarmFound> {
  const jobs: JobFound[] = [];
  const stuck: FarmFound['stuck'] = [];
  const marks = await readBrokenMarks(layout).catch(() => new Map<string, string[]>());
  for (const id of (await listNames(layout.jobs)).filter((n) => !n.startsWith('.')).sort()) {
    const found: JobFound = { id, bytes: await sizeOf(layout.jobDir(id)) };
    try {
      found.record = parseJobRecord(await readInfoFile(layout.jobFile(id)), layout.jobFile(id));
      found.counts = await countsOf(layout, id);
      found.state = deriveJobState(found.counts, found.record);
      if (found.state === 'queued' && marks.get(id)?.length) found.brokenOn = marks.get(id);
    } catch (error) {
      found.error = (error as Error).message;
    }
    for (const name of await listNames(layout.stateDir(id, 'running'))) {
      const claim = parseRunningName(name)?.claim;
      if (claim && alive.get(claim.node) !== claim.instance) stuck.push({ job: id, chunk: parseRunningName(name)!.chunk, node: claim.node });
    }
    jobs.push(found);
  }
  const quarantined = (await listNames(layout.quarantine)).filter((n) => !n.startsWith('.'));
  return { jobs, quarantined, stuck, totalBytes: await sizeOf(layout.root) };
}

/** Why a job can never run as things stand, or null. `states`: job id → state (absent: removed). */
export function neverRuns(job: JobFound, states: ReadonlyMap<string, JobState>, liveNodes: readonly NodeRecord[]): string | null {
  if (!job.record || !job.state || isFinished(job.state) || job.record.paused || !job.counts?.queued) return null;
  for (const dep of job.record.after) {
    const state = states.get(dep);
    if (state === 'failed') return `it waits for ${dep} to be done, and ${dep} failed: render retry ${dep}, or render remove ${job.id}`;
    if (state === undefined) return `it waits for ${dep} to be done, and ${dep} is gone: render remove ${job.id} and submit it again without --after ${dep}`;
  }
  if (liveNodes.length === 0) return null; // said once by the nodes check, not per job
  const why = noNodeRuns(job.record, liveNodes.map((n) => traitsOfRecord(n, n.name)));
  if (why === null) return null;
  if (/Blender/.test(why)) return `${why}: start a node with that Blender (renderd --blender VERSION=PATH), or submit the file saved by an older Blender`;
  return `no live node may take it (${why}): start a node that fits, or change the job (render remove, then add with other --pool/--tags/--min-ram)`;
}
