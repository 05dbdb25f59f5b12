// The stock post-check hook (hooks/blender/post-check), done by renderd itself when a job's copy of it is
// unchanged (src/hooks/in-place.ts): the same paths, lines and exit codes, without the sh and awk it forks
// for every chunk. What to look for is worked out by a pure function; the looking is at the edge.
import fs from 'node:fs/promises';
import path from 'node:path';
import { MOVIE_FORMATS, expectedOutputPath, normalizeOutputFormat, replaceFrameDigits, resolveBlenderPath } from './outputs.js';

/** One frame's file: `exact` is the file (or `bare`, Blender's name with "File Extensions" off); `stem` plus any extension. */
export interface ExpectedFrame { frame: number; kind: 'exact' | 'stem'; path: string; bare: string }

export type CheckPlan =
  | { done: { code: number; stdout: string[]; stderr: string[] } }
  | { frames: ExpectedFrame[]; stderr: string[] };

/** What post-check would look for, from its environment; or its answer when it looks for nothing. */
export function planOutputCheck(env: Record<string, string | undefined>): CheckPlan {
  const say = (line: string) => `post-check: ${line}`;
  const pattern = env.RENDER_OUTPUT ?? '';
  if (!pattern) return { done: { code: 0, stdout: [say("no RENDER_OUTPUT: the scene's own output path is used, which this check cannot know; not checked")], stderr: [] } };
  const rawFormat = env.RENDER_FORMAT ?? '';
  if (MOVIE_FORMATS.has(rawFormat.toUpperCase())) return { done: { code: 0, stdout: [say(`RENDER_FORMAT ${rawFormat} is a movie, not one file per frame; not checked`)], stderr: [] } };
  const frames = framesToCheck(env);
  if (typeof frames === 'string') return { done: { code: 2, stdout: [], stderr: [say(frames)] } };
  const stderr: string[] = [];
  let format = '';
  try {
    format = normalizeOutputFormat(rawFormat);
  } catch {
    stderr.push(say(`unknown RENDER_FORMAT ${rawFormat.toUpperCase()}: accepting any extension`));
  }
  const blend = env.RENDER_FILE ?? '';
  return {
    stderr,
    frames: frames.map((frame) => {
      const bare = replaceFrameDigits(resolveBlenderPath(pattern, blend), frame);
      const file = expectedOutputPath(pattern, frame, format, blend) ?? bare;
      return { frame, kind: format ? 'exact' : 'stem', path: file, bare };
    }),
  };
}

/** RENDER_FRAME_LIST, else RENDER_START..RENDER_END by RENDER_STEP (1 when unset); or why there are none. */
function framesToCheck(env: Record<string, string | undefined>): number[] | string {
  const list = env.RENDER_FRAME_LIST ?? '';
  if (list) return list.split(/\s+/).filter(Boolean).map((f) => Math.trunc(Number.parseFloat(f)) || 0);
  const step = env.RENDER_STEP || '1';
  if (step === '0') return 'RENDER_STEP is 0 and RENDER_FRAME_LIST is empty: no frames to check';
  for (const name of ['RENDER_START', 'RENDER_END']) if (!env[name]) return `${name}: parameter not set or null`;
  const [start, end, by] = [Number(env.RENDER_START), Number(env.RENDER_END), Number(step)];
  if (![start, end, by].every(Number.isInteger) || by < 1) return `RENDER_START/END/STEP '${env.RENDER_START}' '${env.RENDER_END}' '${step}' are not a run of frames`;
  const frames: number[] = [];
  for (let f = start; f <= end; f += by) frames.push(f);
  return frames;
}

/** post-check, done here: its lines (stdout, stderr) and its exit code. Relative paths are in `cwd`, as the hook's. */
export async function checkOutputs(env: Record<string, string | undefined>, cwd: string): Promise<{ code: number; stdout: string[]; stderr: string[] }> {
  const plan = planOutputCheck(env);
  if ('done' in plan) return plan.done;
  const stdout: string[] = [];
  const size = async (file: string) => (await fs.stat(path.resolve(cwd, file)).catch(() => undefined))?.size;
  const listings = new Map<string, Promise<string[]>>();
  // "$path".* as the shell expands it: the names in its folder that start with its name and a dot
  const withAnyExtension = async (stem: string) => {
    const dir = path.resolve(cwd, path.dirname(stem));
    if (!listings.has(dir)) listings.set(dir, fs.readdir(dir).catch(() => []));
    const prefix = `${path.basename(stem)}.`;
    return (await listings.get(dir)!).filter((name) => name.startsWith(prefix)).sort().map((name) => path.join(path.dirname(stem), name));
  };
  let bad = 0;
  for (const expected of plan.frames) {
    const problem = expected.kind === 'exact' ? await exactProblem(expected, size) : await stemProblem(expected, size, withAnyExtension);
    if (!problem) continue;
    stdout.push(`post-check: ${problem} output for frame ${expected.frame}: ${expected.path}${expected.kind === 'stem' ? '.*' : ''}`);
    bad++;
  }
  const total = plan.frames.length;
  stdout.push(bad > 0 ? `post-check: ${bad} of ${total} frames have no usable output` : `post-check: all ${total} frames have their output`);
  return { code: bad > 0 ? 1 : 0, stdout, stderr: plan.stderr };
}

type Size = (file: string) => Promise<number | undefined>;

async function exactProblem({ path: file, bare }: ExpectedFrame, size: Size): Promise<'empty' | 'missing' | undefined> {
  const bytes = await size(file);
  if (bytes || (bare !== file && (await size(bare)))) return undefined;
  return bytes === undefined ? 'missing' : 'empty';
}

async function stemProblem({ path: stem, bare }: ExpectedFrame, size: Size, withAnyExtension: (stem: string) => Promise<string[]>): Promise<'empty' | 'missing' | undefined> {
  const candidates = [...(await withAnyExtension(stem)), bare];
  for (const file of candidates) if (await size(file)) return undefined;
  return candidates.length > 1 || (await size(bare)) !== undefined ? 'empty' : 'missing';
}
