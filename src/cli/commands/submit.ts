// `render submit graph.json` queues a job graph; `render run graph.json --local` runs one on this machine
// with a temporary spool and a local node, no farm needed (Puli's Graph.execute).
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import type { Command } from 'commander';
import { withCommonOptions, type Cli } from '../context.js';
import { openFarm, openFarmAt } from '../farm.js';
import { table } from '../format.js';
import { wakeAfterQueueing } from '../../notify/index.js';
import { parseGraph, submitGraph, type Graph, type SubmittedJob } from '../../jobs/submission/index.js';
import type { DependencyWarning } from '../../project/check.js';
import { packagePath } from '../../hooks/defaults.js';
import { parseWholeNumber } from '../../jobs/values.js';
import { summarizeJobById } from '../../jobs/summary.js';
import { isFinished } from '../../jobs/state.js';
import { sleep } from '../../liveness/clock.js';
import { InputError, UsageError } from '../../errors.js';
import type { FarmContext } from '../../claim/context.js';

async function readGraphFile(file: string): Promise<Graph> {
  let text: string;
  try {
    text = await fs.readFile(file, 'utf8');
  } catch (error) {
    throw new InputError(file, `${file}: ${(error as NodeJS.ErrnoException).code === 'ENOENT' ? 'does not exist' : 'cannot be read'}`);
  }
  let raw: unknown;
  try {
    raw = JSON.parse(text);
  } catch (error) {
    throw new UsageError(`${file} is not valid JSON (${(error as Error).message})`);
  }
  return parseGraph(raw, file);
}

/** A graph's dependency problems are warnings, as `render add`'s without --strict. */
function warn(cli: Cli, warnings: DependencyWarning[]): void {
  for (const warning of warnings) cli.err(`render: warning: ${warning.message}`);
}

function report(cli: Cli, submitted: SubmittedJob[], json: boolean | undefined): void {
  if (json) return cli.json(submitted);
  cli.out(table(submitted.map((s) => [s.ref, s.id, `${s.chunks} chunk(s)`, s.name]), ['REF', 'ID', 'CHUNKS', 'NAME']));
}

export function registerSubmit(program: Command, cli: Cli): void {
  const submit = withCommonOptions(program.command('submit').description('queue a job graph from a JSON file ({"jobs": [...]})').argument('<graph.json>'), { json: true });
  submit.action(async (file: string, opts: { json?: boolean }) => {
    const graphFile = path.resolve(cli.io.cwd, file);
    const graph = await readGraphFile(graphFile);
    const ctx = await openFarm(cli, submit);
    const submitted = await submitGraph(ctx, graph, { cwd: path.dirname(graphFile), nowMs: Date.now(), env: process.env, onWarnings: (warnings) => warn(cli, warnings) });
    await wakeAfterQueueing(ctx, (text) => cli.err(`render: ${text}`));
    report(cli, submitted, opts.json);
  });

  const run = withCommonOptions(program.command('run').description('run a job graph on this machine: a temporary spool and a local node').argument('<graph.json>'), { json: true })
    .option('--local', 'run here, without a farm (the only mode for now)')
    .option('--slots <n>', 'chunks at once', '1')
    .option('--keep', 'keep the temporary spool (logs) afterwards');
  run.action(async (file: string, opts: { json?: boolean; local?: boolean; slots: string; keep?: boolean }) => {
    if (!opts.local) throw new UsageError('render run needs --local (to queue on the farm, use render submit)');
    const slots = parseWholeNumber(opts.slots, '--slots', 1, 256);
    const graphFile = path.resolve(cli.io.cwd, file);
    const graph = await readGraphFile(graphFile);
    const spoolFlag = (run.optsWithGlobals() as { spool?: string }).spool;
    const spool = spoolFlag ? path.resolve(cli.io.cwd, spoolFlag) : await fs.mkdtemp(path.join(os.tmpdir(), 'renderd-run-'));
    try {
      const ctx = await openFarmAt(cli, spool);
      const submitted = await submitGraph(ctx, graph, { cwd: path.dirname(graphFile), nowMs: Date.now(), env: process.env, onWarnings: (warnings) => warn(cli, warnings) });
      // loaded here, not at start-up: every other render command starts faster without it
      const { execa } = await import('execa');
      const node = execa(packagePath('bin', 'renderd'), ['--spool', spool, '--node', `local-${process.pid}`, '--slots', String(slots), '--exit-when-idle', '--listen', '127.0.0.1:0'], { reject: false, stdin: 'ignore', stdout: 'ignore', stderr: opts.json ? 'ignore' : 'inherit' });
      const failed = await waitAll(ctx, submitted, node);
      if (opts.json) cli.json({ spool, jobs: submitted, failed });
      else {
        report(cli, submitted, false);
        cli.out(failed.length ? `failed: ${failed.join(', ')} (logs: render --spool ${spool} log JOB)` : 'all jobs done');
      }
      cli.exitCode = failed.length ? 1 : 0;
    } finally {
      if (!spoolFlag && !opts.keep && cli.exitCode === 0) await fs.rm(spool, { recursive: true, force: true });
    }
  });
}

/** Waits until every job has finished or the node has exited; returns the ids of jobs that did not end done. */
async function waitAll(ctx: FarmContext, jobs: SubmittedJob[], node: Promise<unknown>): Promise<string[]> {
  let exited = false;
  void node.then(() => { exited = true; });
  for (;;) {
    const states = await Promise.all(jobs.map(async (job) => {
      // a job removed meanwhile did not end done
      return (await summarizeJobById(ctx, job.id))?.state ?? 'failed';
    }));
    if (states.every(isFinished) || exited) {
      await node;
      return jobs.filter((_, i) => states[i] !== 'done').map((job) => job.id);
    }
    await sleep(200);
  }
}
