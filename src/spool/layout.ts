// Where everything lives on the spool. The layout keeps hot directories small (invariant 6):
//   active/<job>.p<prio>[.paused]   one empty entry per unfinished job: an idle poll reads only this
//   jobs/<job>/job.json             the job's spec and its mutable fields (priority, paused)
//   jobs/<job>/<state>/<chunk>.json a chunk's info file; its directory is its state, so counts are readdirs
//   jobs/<job>/running/<chunk>~<node>~<instance>~<token>.json  a running chunk: the name is its claim
//   jobs/<job>/locks/<chunk>        lock dir (its owner's token inside) for a chunk's transitions
//   jobs/<job>/logs/<chunk>.<n>.log output of attempt n
//   jobs/<job>/hooks/               the hook scripts, snapshotted at submission
//   nodes/<node>.json               each node's registration and heartbeat
//   control/<node>.json             pause / resume / drain requests for a node
//   quarantine/                     files that failed to parse or validate, moved aside
import path from 'node:path';
import { registerSpoolRoot } from './no-follow.js';

export const CHUNK_STATES = ['queued', 'running', 'done', 'failed'] as const;
export type ChunkState = (typeof CHUNK_STATES)[number];

/** Job ids, chunk ids and node names are used as file names: keep them to a safe alphabet. */
export const SAFE_NAME = /^[A-Za-z0-9][A-Za-z0-9_.-]{0,127}$/;

export function isSafeName(name: string): boolean {
  return SAFE_NAME.test(name) && !name.includes('..');
}

export class SpoolLayout {
  constructor(readonly root: string) {
    // writes below the root are checked for links on the way (no-follow.ts)
    registerSpoolRoot(root);
  }

  get active(): string { return path.join(this.root, 'active'); }
  get jobs(): string { return path.join(this.root, 'jobs'); }
  get nodes(): string { return path.join(this.root, 'nodes'); }
  get control(): string { return path.join(this.root, 'control'); }
  get quarantine(): string { return path.join(this.root, 'quarantine'); }
  get tmp(): string { return path.join(this.root, 'tmp'); }
  get trash(): string { return path.join(this.root, 'trash'); }
  get formatFile(): string { return path.join(this.root, 'spool.json'); }

  jobDir(job: string): string { return path.join(this.jobs, job); }
  jobFile(job: string): string { return path.join(this.jobDir(job), 'job.json'); }
  jobLock(job: string): string { return path.join(this.jobDir(job), 'locks', '_job'); }
  jobTmp(job: string): string { return path.join(this.jobDir(job), 'tmp'); }
  hooksDir(job: string): string { return path.join(this.jobDir(job), 'hooks'); }
  stateDir(job: string, state: ChunkState): string { return path.join(this.jobDir(job), state); }
  chunkFile(job: string, state: ChunkState, chunk: string): string { return path.join(this.stateDir(job, state), `${chunk}.json`); }
  chunkLock(job: string, chunk: string): string { return path.join(this.jobDir(job), 'locks', chunk); }
  logFile(job: string, chunk: string, attempt: number): string { return path.join(this.jobDir(job), 'logs', `${chunk}.${attempt}.log`); }
  logsDir(job: string): string { return path.join(this.jobDir(job), 'logs'); }
  nodeFile(node: string): string { return path.join(this.nodes, `${node}.json`); }
  controlFile(node: string): string { return path.join(this.control, `${node}.json`); }
}

/** Directories of a job folder, created at submission. */
export const JOB_SUBDIRS = [...CHUNK_STATES, 'locks', 'logs', 'tmp'] as const;
