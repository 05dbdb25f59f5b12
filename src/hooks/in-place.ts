// Stock hooks done in place (issue 17): when a job's render-blender or post-check is byte for byte the one
// this package ships, renderd does its work itself — the warm render, the output check — with the same
// output, exit code, timeouts and stops, and forks neither sh, nor Perl, nor awk for it. A hook a user
// changed, even by one byte, runs as a process, as always.
import fs from 'node:fs';
import path from 'node:path';
import { checkOutputs } from '../blender/output-check.js';
import { defaultHooksDir } from './defaults.js';
import type { HookScript } from './discover.js';
import { inheritedEnv, type InPlaceEnd, type InPlaceIO, type InPlaceWork } from './run.js';

export type StockHook = 'render-blender' | 'post-check';
const STOCK: readonly StockHook[] = ['render-blender', 'post-check'];

/** A warm render of the chunk in its hook's environment (src/warm/broker.ts). */
export type WarmRender = (env: Record<string, string>, cwd: string, io: InPlaceIO, stop: AbortSignal) => Promise<InPlaceEnd>;

let shipped: Map<StockHook, Buffer> | undefined;
const known = new Map<string, { stamp: string; stock: StockHook | undefined }>();

/** Which stock hook `file` is, if it is one unchanged (compared once per version of the file). */
export function stockHookOf(file: string): StockHook | undefined {
  let stat: fs.Stats;
  try {
    stat = fs.statSync(file);
  } catch {
    return undefined;
  }
  const stamp = `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeMs}:${stat.mode}`;
  const cached = known.get(file);
  if (cached?.stamp === stamp) return cached.stock;
  shipped ??= new Map(STOCK.map((name) => [name, fs.readFileSync(path.join(defaultHooksDir('blender'), name))]));
  let stock: StockHook | undefined;
  // executable, as the hook would have to be to run at all
  if (stat.isFile() && stat.mode & 0o111) {
    const candidates = STOCK.filter((name) => shipped!.get(name)!.length === stat.size);
    if (candidates.length) {
      const content = fs.readFileSync(file);
      stock = candidates.find((name) => shipped!.get(name)!.equals(content));
    }
  }
  // one entry per job's hook: forgotten now and then, so a node running for months does not keep them all
  if (known.size >= 1000) known.clear();
  known.set(file, { stamp, stock });
  return stock;
}

/**
 * The work to do in place of `hook` (run with `hookEnv`), or undefined to run it. render-blender: the warm
 * render, when the node has a warm path for this chunk and RENDER_WARM is not 0 (its RENDER_FILE checks stay
 * the hook's own). Only render-* and post-* hooks are looked at: the others are never stock ones.
 */
export function inPlaceWork(hook: HookScript, hookEnv: Record<string, string>, cwd: string, warm: WarmRender | undefined): InPlaceWork | undefined {
  if (hook.stage !== 'render' && hook.stage !== 'post') return undefined;
  const stock = stockHookOf(hook.path);
  if (!stock) return undefined;
  // renderd's own variables are the hook's too, as the launcher passes them
  const env = { ...inheritedEnv(), ...hookEnv };
  if (stock === 'post-check') {
    return async (io) => {
      const result = await checkOutputs(env, cwd);
      for (const line of result.stderr) io.stderr(Buffer.from(`${line}\n`));
      for (const line of result.stdout) io.stdout(Buffer.from(`${line}\n`));
      return { code: result.code };
    };
  }
  if (stock === 'render-blender' && warm && (env.RENDER_WARM ?? '1') !== '0') {
    return async (io, signal) => {
      // the hook's own first checks: their messages are the hook's, so it runs to say them
      const file = env.RENDER_FILE ?? '';
      const isFile = file !== '' && (await fs.promises.stat(path.resolve(cwd, file)).then((s) => s.isFile(), () => false));
      return isFile ? warm(env, cwd, io, signal) : { fallback: '' };
    };
  }
  return undefined;
}
