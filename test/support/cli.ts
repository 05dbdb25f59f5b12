// Running the real `render` binary: exit code, stdout and stderr, with a timeout of its own.
import { execFile } from 'node:child_process';
import { RENDER_BIN } from './paths.js';

export interface RunResult {
  code: number;
  stdout: string;
  stderr: string;
}

export const CLI_TIMEOUT_MS = 30_000;

/** `render ARGS...` as a child process; never throws for a non-zero exit. */
export function runRender(args: string[], options: { timeoutMs?: number; cwd?: string; env?: NodeJS.ProcessEnv; user?: { uid: number; gid: number } } = {}): Promise<RunResult> {
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
