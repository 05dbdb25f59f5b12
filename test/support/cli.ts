// Running `render`: in this process through its `main(argv, io)` (what most tests need: fast, no Node start per
// call), or as the real binary (`runRenderBinary`) where the contract is the process itself: exit codes, a
// closed reader, another user, an environment of its own.
import { execFile } from 'node:child_process';
import { Writable } from 'node:stream';
import { main } from '../../src/cli/main.js';
import { RENDER_BIN } from './paths.js';
import { waitUntil } from './wait.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export interface RunOptions {
  timeoutMs?: number;
  cwd?: string;
  env?: NodeJS.ProcessEnv;
  user?: { uid: number; gid: number };
}

export const CLI_TIMEOUT_MS = 30_000;

/** `render ARGS...`; never throws for a non-zero exit. A user or an environment of its own runs the binary. */
export function runRender(args: string[], options: RunOptions = {}): Promise<RunResult> {
  if (options.user || options.env) return runRenderBinary(args, options);
  return runRenderHere(args, options);
}

/** `render ARGS...` in this process: the same parsing, commands and exit codes, its output captured. */
export async function runRenderHere(args: string[], options: { timeoutMs?: number; cwd?: string } = {}): Promise<RunResult> {
  const stdout = captured();
  const stderr = captured();
  const io = { stdout: stdout.stream, stderr: stderr.stream, isTTY: false, env: process.env, cwd: options.cwd ?? process.cwd() };
  const timeoutMs = options.timeoutMs ?? CLI_TIMEOUT_MS;
  let timer: NodeJS.Timeout | undefined;
  const late = new Promise<never>((_, reject) => {
    timer = setTimeout(() => reject(new Error(`render ${args.join(' ')}: no answer after ${timeoutMs} ms\n${stderr.text()}`)), timeoutMs);
  });
  try {
    const code = await Promise.race([main(args, io), late]);
    return { code, stdout: stdout.text(), stderr: stderr.text() };
  } finally {
    clearTimeout(timer);
  }
}

/** `render ARGS...` as a child process; never throws for a non-zero exit. */
export function runRenderBinary(args: string[], options: RunOptions = {}): Promise<RunResult> {
  return new Promise((resolve, reject) => {
    execFile(process.execPath, [RENDER_BIN, ...args], {
      timeout: options.timeoutMs ?? CLI_TIMEOUT_MS,
      killSignal: 'SIGKILL',
      cwd: options.cwd,
      env: options.env ?? process.env,
      maxBuffer: 64 * 1024 * 1024,
      ...options.user,
    }, (error, stdout, stderr) => {
      if (!error) return resolve({ code: 0, stdout, stderr });
      const failure = error as NodeJS.ErrnoException & { code?: number | string; killed?: boolean };
      if (failure.killed) return reject(new Error(`render ${args.join(' ')}: killed after ${options.timeoutMs ?? CLI_TIMEOUT_MS} ms\n${stderr}`));
      if (typeof failure.code === 'number') return resolve({ code: failure.code, stdout, stderr });
      reject(error);
    });
  });
}

function captured(): { stream: Writable; text: () => string } {
  const parts: string[] = [];
  const stream = new Writable({
    write(chunk: Buffer | string, _encoding, done) {
      parts.push(chunk.toString());
      done();
    },
  });
  return { stream, text: () => parts.join('') };
}

/** A render command on `spool` that must succeed; returns its stdout parsed as one JSON document. */
export async function renderJson<T = unknown>(spool: string, args: string[], options: { cwd?: string } = {}): Promise<T> {
  const result = await runRender(['--spool', spool, ...args, '--json'], options);
  if (result.code !== 0) throw new Error(`render ${args.join(' ')} exited ${result.code}: ${result.stderr.trim()}`);
  return JSON.parse(result.stdout) as T;
}

export interface ChunkCountsJson { total: number; queued: number; running: number; done: number; failed: number }

export interface ChunkJson {
  id: string;
  frames: number[];
  state: 'queued' | 'running' | 'done' | 'failed';
  attempt: number;
  failures: number;
  node?: string;
  startedAt?: string;
  endedAt?: string;
  error?: string;
  progress?: { frame?: number; framesDone?: number; sample?: { done: number; total: number }; peakMemMB?: number };
}

export interface ShowJson {
  id: string;
  name: string;
  state: string;
  priority: number;
  paused: boolean;
  chunks: ChunkCountsJson;
  chunkList: ChunkJson[];
}

/** `render exec` on `spool`; returns the job id. `flags` go before `--`, `command` after it. */
export async function submitExec(spool: string, flags: string[], command: string[], options: { cwd?: string; user?: { uid: number; gid: number } } = {}): Promise<string> {
  const result = await runRender(['--spool', spool, 'exec', ...flags, '--json', '--', ...command], options);
  if (result.code !== 0) throw new Error(`render exec exited ${result.code}: ${result.stderr.trim()}`);
  return (JSON.parse(result.stdout) as { id: string }).id;
}

export function showJob(spool: string, job: string): Promise<ShowJson> {
  return renderJson<ShowJson>(spool, ['show', job]);
}

export const isFinished = (shown: ShowJson) => shown.state === 'done' || shown.state === 'failed';

/** Polls `render show JOB --json` every `everyMs` until `ready` holds; returns what it showed. `what` names the wait in its timeout. */
function pollShown(spool: string, job: string, what: string, ready: (shown: ShowJson) => boolean, timeoutMs: number, everyMs: number): Promise<ShowJson> {
  return waitUntil(what, async () => {
    const shown = await showJob(spool, job);
    return ready(shown) ? shown : false;
  }, timeoutMs, everyMs);
}

/** Polls `render show JOB --json` until `ready` holds; returns what it showed. */
export function waitForJob(spool: string, job: string, what: string, ready: (shown: ShowJson) => boolean, timeoutMs: number): Promise<ShowJson> {
  return pollShown(spool, job, `job ${job} ${what}`, ready, timeoutMs, 200);
}

/** `render show` of `job` once it has ended (done or failed), polled every `everyMs`; `what` names the wait in its timeout. */
export function waitJobEnded(spool: string, job: string, timeoutMs: number, everyMs = 250, what = 'the job to end'): Promise<ShowJson> {
  return pollShown(spool, job, what, isFinished, timeoutMs, everyMs);
}
