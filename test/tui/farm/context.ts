// A farm context on a temp spool for the ui's reader and action tests, and a job with hand-set chunks.
import fs from 'node:fs/promises';
import { systemClock } from '../../../src/liveness/clock.js';
import type { FarmContext } from '../../../src/claim/context.js';
import { LockManager } from '../../../src/claim/mutex.js';
import { packagePath } from '../../../src/hooks/defaults.js';
import { submitJob } from '../../../src/jobs/submit.js';
import { serialize, type ChunkRecord } from '../../../src/spool/records.js';
import { openSpool } from '../../../src/spool/open.js';
import { makeTempSpool, type TempSpool } from '../../support/index.js';

export interface TestFarm { ctx: FarmContext; temp: TempSpool; logs: string[] }

export async function openTestFarm(): Promise<TestFarm> {
  const temp = await makeTempSpool('renderd-tui-');
  const logs: string[] = [];
  const log = (line: string) => { logs.push(line); };
  const ctx: FarmContext = { layout: await openSpool(temp.spool), clock: systemClock, log, locks: new LockManager(systemClock, log) };
  return { ctx, temp, logs };
}

/** Queues an exec job of `chunks` one-frame chunks; returns its id. */
export async function queueJob(ctx: FarmContext, name: string, chunks: number, priority = 0): Promise<string> {
  const submitted = await submitJob(ctx, {
    kind: 'exec', name, command: ['true'], frames: Array.from({ length: chunks }, (_, i) => i + 1), chunkSize: 1, priority,
    after: [], retries: 0, paused: false, noOverwrite: false, owner: 'ana', host: 'h', cwd: '/', hooksDir: packagePath('hooks', 'exec'),
  });
  return submitted.id;
}

/** Moves a queued chunk straight to `state` with the given times: the record a node would leave. */
export async function settleChunk(ctx: FarmContext, job: string, chunk: string, state: 'done' | 'failed', startedAt: string, endedAt: string): Promise<void> {
  const from = ctx.layout.chunkFile(job, 'queued', chunk);
  const record = JSON.parse(await fs.readFile(from, 'utf8')) as ChunkRecord;
  const next: ChunkRecord = { ...record, state, attempt: 1, startedAt, endedAt, history: [{ attempt: 1, node: 'n1', outcome: state, startedAt, endedAt }] };
  await fs.writeFile(ctx.layout.chunkFile(job, state, chunk), serialize(next));
  await fs.rm(from);
}
