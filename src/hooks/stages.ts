// Running a chunk's hooks by stage: pre → render → post; error-* if any failed; end-* always.
import type { Suspension } from './pausable-timer.js';
import { ChunkLog } from './chunk-log.js';
import { discoverHooks, type HookScript, type Stage } from './discover.js';
import { hookEnvironment, type HookContext } from './env.js';
import { inPlaceWork, type WarmRender } from './in-place.js';
import { runHook, type HookOutcome, type HookRunOptions } from './run.js';
import type { WorkingDir } from './workdir.js';

/** Everything the node always gives a chunk's hooks is required: no test walks a path production never takes. */
export interface ChunkRunOptions extends HookContext {
  hooksDir: string;
  /** A generic job's command: it runs as the render stage. */
  command?: string[];
  /** Where the hooks run (workdir.ts), found before the chunk's slot was free: off its critical path. */
  workingDir: WorkingDir;
  nice: number;
  ioIdle: boolean;
  onSpawn: (pgid: number) => void;
  /** The node suspends the hooks (--idle-only): their timeouts stop counting meanwhile. */
  suspension: Suspension;
  timeoutMs?: number;
  silenceTimeoutMs?: number;
  onLine: (line: string) => void;
  signal: AbortSignal;
  /** The node's lease: its hooks run only while it is valid (lease.ts). */
  lease: string;
  /** Added to every hook's environment (the warm path's socket and token). */
  extraEnv?: Record<string, string>;
  /** The warm path's render, which a stock render-blender has done in place (in-place.ts). */
  warmRender?: WarmRender;
  /** Hears why the chunk's log could not be written (the hooks run on). */
  warn: (text: string) => void;
  /** Called once the render stage has ended well: the slot's next chunk may render while post-* and end-* run. */
  onRenderEnded: () => void;
  /** Called once the last hook has exited and the log is closed: the node may start its next chunk. */
  onHooksEnded: (status: ChunkOutcome['status']) => void;
}

export interface ChunkOutcome {
  status: 'ok' | 'failed' | 'stopped';
  /** The hook that failed, and why. */
  failedHook?: string;
  reason?: string;
  exitCode?: number;
}

const MAIN_STAGES: Stage[] = ['pre', 'render', 'post'];

export async function runChunkHooks(options: ChunkRunOptions): Promise<ChunkOutcome> {
  const hooks = await discoverHooks(options.hooksDir);
  if (options.command) hooks.render = [{ stage: 'render', name: 'render-command', path: options.command[0] }];
  const log = new ChunkLog(options.logFile, options.warn);
  const note = (text: string) => log.write(`[renderd] ${new Date().toISOString()} ${text}\n`);
  note(`node ${options.node} attempt ${options.attempt}: job ${options.job.id} chunk ${options.chunk.id} frames ${hookEnvironment(options).RENDER_FRAMES}`);
  let ended: ChunkOutcome | undefined;
  try {
    const { cwd, fallback } = options.workingDir;
    if (fallback) note(fallback);
    ended = await runStages({ ...options, cwd }, hooks, note, log);
    return ended;
  } finally {
    log.close();
    if (ended) options.onHooksEnded?.(ended.status);
  }
}

type Note = (text: string) => void;

type StageOptions = ChunkRunOptions & { cwd: string };

async function runStages(options: StageOptions, hooks: Record<Stage, HookScript[]>, note: Note, log: ChunkLog): Promise<ChunkOutcome> {
  let outcome: ChunkOutcome = { status: 'ok' };
  for (const stage of MAIN_STAGES) {
    for (const hook of hooks[stage]) {
      const result = await runOne(options, hook, undefined, note, log);
      if (result.stopped) return { status: 'stopped', failedHook: hook.name, reason: result.reason ?? 'stopped' };
      if (!result.ok) {
        outcome = { status: 'failed', failedHook: hook.name, reason: result.reason, exitCode: result.exitCode };
        break;
      }
    }
    if (outcome.status !== 'ok') break;
    if (stage === 'render') options.onRenderEnded?.();
  }
  const status = outcome.status === 'ok' ? 'ok' : 'failed';
  if (status === 'failed') await runAll(options, hooks.error, status, note, log);
  await runAll(options, hooks.end, status, note, log);
  note(status === 'ok' ? 'chunk done' : `chunk failed: ${outcome.failedHook}: ${outcome.reason}`);
  return outcome;
}

async function runAll(options: StageOptions, hooks: HookScript[], status: 'ok' | 'failed', note: Note, log: ChunkLog) {
  for (const hook of hooks) {
    const result = await runOne(options, hook, status, note, log);
    if (result.stopped) return;
  }
}

async function runOne(options: StageOptions, hook: HookScript, status: 'ok' | 'failed' | undefined, note: Note, log: ChunkLog): Promise<HookOutcome> {
  const command = hook.name === 'render-command' && options.command ? options.command : [hook.path];
  const env = options.extraEnv ? { ...hookEnvironment({ ...options, status }), ...options.extraEnv } : hookEnvironment({ ...options, status });
  const onLine = (line: string) => {
    log.write(line + '\n');
    options.onLine?.(line);
  };
  const run = (hookEnv: Record<string, string>, inPlace?: HookRunOptions['inPlace']) => runHook({
    command,
    cwd: options.cwd,
    env: hookEnv,
    nice: options.nice,
    ioIdle: options.ioIdle,
    onSpawn: options.onSpawn,
    suspension: options.suspension,
    timeoutMs: options.timeoutMs,
    silenceTimeoutMs: options.silenceTimeoutMs,
    signal: options.signal,
    lease: options.lease,
    onLine,
    inPlace,
  });
  note(`${hook.name}: start`);
  // a stock hook's work done here, as the hook would do it
  const inPlace = options.command ? undefined : inPlaceWork(hook, env, options.cwd, options.warmRender);
  let result = await run(env, inPlace);
  if (result.fallback !== undefined) {
    if (result.fallback) onLine(`render-blender: warm path: ${result.fallback.replace(/\n/g, ' ')}; cold start`);
    result = await run({ ...env, RENDER_WARM: '0' });
  }
  note(`${hook.name}: ${result.ok ? 'ok' : result.reason}`);
  return result;
}
