// The scheduling flags `render add` and `render exec` share, and turning them into a job spec.
import os from 'node:os';
import path from 'node:path';
import fs from 'node:fs';
import { Command } from 'commander';
import { UsageError } from '../errors.js';
import { isSafeName } from '../spool/layout.js';
import { DEFAULT_CHUNK_SIZE, parseFrameSpec } from '../frames/index.js';
import { validateHookDir } from '../hooks/discover.js';
import type { JobSpec } from '../jobs/submit.js';
import { collect, parseBytes, parseDuration, parseStartAt, parseWholeNumber } from './parse.js';
import type { FarmContext } from '../claim/context.js';
import { resolveDependencies } from '../jobs/dependencies.js';
import { requireLicense } from '../licenses/index.js';

export const DEFAULT_RETRIES = 2;
/** Where `render init` puts a project's editable hooks, and where add/exec look for them. */
export const PROJECT_HOOKS_DIR = 'renderd-hooks';

export function addSchedulingOptions(command: Command): Command {
  return command
    .option('--frames <spec>', 'frames: 1-100, 1-100x5 (step), 1,5,9-12')
    .option('--chunk <n>', `frames per chunk (default ${DEFAULT_CHUNK_SIZE})`)
    .option('--priority <n>', 'higher runs first (default 0)', '0')
    .option('--name <name>', 'job name')
    .option('--pool <name>', 'run only on nodes of this pool')
    .option('--after <job>', 'start after this job is done; JOB:any, after it ended either way (repeatable)', collect, [])
    .option('--tags <list>', 'run only on nodes that have all these tags (comma-separated)')
    .option('--min-ram <size>', 'run only on nodes with at least this much memory (e.g. 16G)')
    .option('--max-nodes <n>', 'at most this many nodes on the job at once')
    .option('--start-at <time>', 'do not start before: 2026-11-21T19:00, 19:00 or +2h')
    .option('--license <name>', 'each running chunk holds one token of this licence (render license set)')
    .option('--retry-delay <duration>', 'wait this long before retrying a failed chunk')
    .option('--silence-timeout <duration>', 'fail a hook that prints nothing for this long')
    .option('--max-failed <n>', 'fail the job once this many chunks have failed')
    .option('--hooks <dir>', `hook scripts folder (default: ./${PROJECT_HOOKS_DIR} if present, else the package's)`)
    .option('--retries <n>', `attempts after the first that may fail (default ${DEFAULT_RETRIES})`, String(DEFAULT_RETRIES))
    .option('--timeout <duration>', 'fail a hook that runs longer than this (e.g. 30m)')
    .option('--paused', 'queue the job paused');
}

export interface RawScheduling {
  frames?: string;
  chunk?: string;
  priority: string;
  name?: string;
  pool?: string;
  after: string[];
  hooks?: string;
  retries: string;
  timeout?: string;
  paused?: boolean;
  tags?: string;
  minRam?: string;
  maxNodes?: string;
  startAt?: string;
  license?: string;
  retryDelay?: string;
  silenceTimeout?: string;
  maxFailed?: string;
}

type Common = Pick<JobSpec, 'chunkSize' | 'priority' | 'pool' | 'after' | 'afterAny' | 'retries' | 'timeoutMs' | 'paused' | 'owner' | 'host' | 'cwd' | 'hooksDir'
  | 'tags' | 'minRamBytes' | 'maxNodes' | 'startAt' | 'license' | 'retryDelayMs' | 'silenceTimeoutMs' | 'maxFailedChunks'>;

const optionalDuration = (raw: string | undefined, flag: string) => (raw === undefined ? undefined : parseDuration(raw, flag));

/**
 * Validates the shared flags against the spool (jobs named in --after, licences) so that nothing is
 * queued when any of them is wrong; `defaultHooks` is the package's folder for this kind of job.
 */
export async function resolveScheduling(ctx: FarmContext, raw: RawScheduling, cwd: string, defaultHooks: string, nowMs = Date.now()): Promise<Common> {
  const chunkSize = raw.chunk === undefined ? DEFAULT_CHUNK_SIZE : parseWholeNumber(raw.chunk, '--chunk', 1, 1_000_000);
  if (raw.pool !== undefined && !isSafeName(raw.pool)) throw new UsageError(`--pool '${raw.pool}' must be letters, digits, '.', '_' or '-'`);
  const tags = raw.tags ? raw.tags.split(',').map((t) => t.trim()).filter(Boolean) : undefined;
  const dependencies = await resolveDependencies(ctx, raw.after);
  if (raw.license !== undefined) await requireLicense(ctx, raw.license);
  const hooksDir = resolveHooksDir(raw.hooks, cwd, defaultHooks);
  await validateHookDir(hooksDir);
  return {
    chunkSize,
    priority: parseWholeNumber(raw.priority, '--priority', -1_000_000, 1_000_000),
    pool: raw.pool,
    tags,
    after: dependencies.after,
    afterAny: dependencies.afterAny.length ? dependencies.afterAny : undefined,
    minRamBytes: raw.minRam === undefined ? undefined : parseBytes(raw.minRam, '--min-ram'),
    maxNodes: raw.maxNodes === undefined ? undefined : parseWholeNumber(raw.maxNodes, '--max-nodes', 1, 100_000),
    startAt: raw.startAt === undefined ? undefined : parseStartAt(raw.startAt, '--start-at', nowMs),
    license: raw.license,
    retryDelayMs: optionalDuration(raw.retryDelay, '--retry-delay'),
    silenceTimeoutMs: optionalDuration(raw.silenceTimeout, '--silence-timeout'),
    maxFailedChunks: raw.maxFailed === undefined ? undefined : parseWholeNumber(raw.maxFailed, '--max-failed', 1, 1_000_000),
    retries: parseWholeNumber(raw.retries, '--retries', 0, 1000),
    timeoutMs: optionalDuration(raw.timeout, '--timeout'),
    paused: Boolean(raw.paused),
    owner: os.userInfo().username,
    host: os.hostname(),
    cwd,
    hooksDir,
  };
}

function resolveHooksDir(flag: string | undefined, cwd: string, defaultHooks: string): string {
  if (flag) return path.resolve(cwd, flag);
  const project = path.join(cwd, PROJECT_HOOKS_DIR);
  return fs.existsSync(project) ? project : defaultHooks;
}

export function parseFrames(raw: string | undefined, fallback: string): number[] {
  return parseFrameSpec(raw ?? fallback);
}

/** The package's own folders (hooks/, templates/), found from this file's place in dist/ or src/. */
export function packagePath(...parts: string[]): string {
  const here = path.dirname(new URL(import.meta.url).pathname);
  let dir = here;
  while (!fs.existsSync(path.join(dir, 'package.json')) && dir !== path.dirname(dir)) dir = path.dirname(dir);
  return path.join(dir, ...parts);
}
