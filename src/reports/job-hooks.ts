// Running a finished job's `job-done-*` or `job-failed-*` hooks with the guarded runner, in the job's
// folder, output appended to logs/job-events.log. The daemon calls this once per job finish, on the
// node whose removal of the job's active/ entry succeeded (deactivateIfFinished).
import fs from 'node:fs';
import type { FarmContext } from '../claim/context.js';
import { hookWorkingDir } from '../hooks/workdir.js';
import { runHook } from '../hooks/run.js';
import { countChunks, readJob } from '../jobs/read.js';
import { listNames } from '../spool/atomic.js';
import type { JobRecord } from '../spool/records.js';
import { jobHookEnvironment, jobHookNames, jobStatusOf, type JobStatus } from './job-hook-env.js';
import { jobEventsLog } from './paths.js';
import { APPEND, openNoFollow } from '../spool/no-follow.js';

/** A mail or a webhook that hangs must not keep a stopping node forever. */
export const JOB_HOOK_TIMEOUT_MS = 5 * 60_000;

export interface JobHooksOptions {
  ctx: FarmContext;
  job: JobRecord;
  node: string;
  nice: number;
  signal?: AbortSignal;
}

export interface JobHookResult {
  name: string;
  ok: boolean;
  reason?: string;
}

export async function runJobHooks(options: JobHooksOptions): Promise<{ status: JobStatus; results: JobHookResult[] }> {
  const { ctx, job } = options;
  const counts = await countChunks(ctx, job.id);
  const current = await readJob(ctx, job.id).catch(() => null);
  const status = jobStatusOf(counts, Boolean((current ?? job).failedEarly));
  const hooksDir = ctx.layout.hooksDir(job.id);
  const names = jobHookNames(await listNames(hooksDir), status);
  if (names.length === 0) return { status, results: [] };
  const logFile = jobEventsLog(ctx.layout, job.id);
  await fs.promises.mkdir(ctx.layout.logsDir(job.id), { recursive: true });
  const log = fs.createWriteStream('', { fd: openNoFollow(logFile, APPEND) });
  // a log that cannot be written (a full disk, a folder gone) costs the log, never the node
  log.on('error', (error) => ctx.log(`job ${job.id}: cannot write ${logFile}: ${error.message}`));
  const note = (text: string) => log.write(`[renderd] ${ctx.clock.wallIso()} ${text}\n`);
  const env = jobHookEnvironment({ spool: ctx.layout.root, job, counts, status, node: options.node, logFile });
  const results: JobHookResult[] = [];
  const { cwd, fallback } = await hookWorkingDir(job.cwd, ctx.layout.jobDir(job.id));
  try {
    if (fallback) note(fallback);
    note(`node ${options.node}: job ${job.id} ${status === 'ok' ? 'done' : 'failed'} (${counts.done}/${counts.total} chunks done, ${counts.failed} failed)`);
    for (const name of names) {
      note(`${name}: start`);
      const outcome = await runHook({
        command: [`${hooksDir}/${name}`],
        cwd,
        env,
        nice: options.nice,
        timeoutMs: JOB_HOOK_TIMEOUT_MS,
        signal: options.signal ?? new AbortController().signal,
        onLine: (line) => log.write(line + '\n'),
      });
      note(`${name}: ${outcome.ok ? 'ok' : outcome.reason}`);
      results.push({ name, ok: outcome.ok, reason: outcome.reason });
    }
  } finally {
    await new Promise<void>((resolve) => log.end(resolve));
  }
  return { status, results };
}

export interface JobEventRunner {
  /** For DaemonDeps.onJobFinished: starts the job's hooks, never throws; failures are logged. */
  onJobFinished(job: JobRecord): void;
  /** Resolves when every job hook started so far has ended (call before the node exits). */
  settle(): Promise<void>;
  /** Stops the hooks running now (their process groups are killed). */
  stop(): void;
}

export function createJobEventRunner(options: Omit<JobHooksOptions, 'job' | 'signal'>): JobEventRunner {
  const pending = new Set<Promise<void>>();
  const abort = new AbortController();
  const { ctx } = options;
  return {
    onJobFinished(job) {
      const run = runJobHooks({ ...options, job, signal: abort.signal })
        .then(({ status, results }) => {
          for (const r of results) if (!r.ok) ctx.log(`job ${job.id}: job hook ${r.name} failed: ${r.reason}`);
          if (results.length) ctx.log(`job ${job.id}: ran ${results.length} job-${status === 'ok' ? 'done' : 'failed'} hook(s)`);
        })
        .catch((error) => ctx.log(`job ${job.id}: job hooks could not run: ${(error as Error).message}`))
        .finally(() => pending.delete(run));
      pending.add(run);
    },
    async settle() {
      while (pending.size) await Promise.all([...pending]);
    },
    stop() {
      abort.abort();
    },
  };
}
