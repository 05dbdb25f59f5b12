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
import { collect, parseDuration, parseWholeNumber } from './parse.js';

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
    .option('--after <job>', 'start after this job is done (repeatable)', collect, [])
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
}

type Common = Pick<JobSpec, 'chunkSize' | 'priority' | 'pool' | 'after' | 'retries' | 'timeoutMs' | 'paused' | 'owner' | 'host' | 'cwd' | 'hooksDir'>;

/** Validates the shared flags; `defaultHooks` is the package's folder for this kind of job. */
export async function resolveScheduling(raw: RawScheduling, cwd: string, defaultHooks: string): Promise<Common> {
  const chunkSize = raw.chunk === undefined ? DEFAULT_CHUNK_SIZE : parseWholeNumber(raw.chunk, '--chunk', 1, 1_000_000);
  if (raw.pool !== undefined && !isSafeName(raw.pool)) throw new UsageError(`--pool '${raw.pool}' must be letters, digits, '.', '_' or '-'`);
  for (const job of raw.after) if (!isSafeName(job)) throw new UsageError(`--after '${job}' is not a job id`);
  const hooksDir = resolveHooksDir(raw.hooks, cwd, defaultHooks);
  await validateHookDir(hooksDir);
  return {
    chunkSize,
    priority: parseWholeNumber(raw.priority, '--priority', -1_000_000, 1_000_000),
    pool: raw.pool,
    after: raw.after,
    retries: parseWholeNumber(raw.retries, '--retries', 0, 1000),
    timeoutMs: raw.timeout === undefined ? undefined : parseDuration(raw.timeout, '--timeout'),
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
