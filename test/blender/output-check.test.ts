// The output check renderd does in place of a stock post-check (src/blender/output-check.ts) answers as the
// hook does: the same exit code and the same lines, for each case run side by side with the shell script.
import { mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { checkOutputs } from '../../src/blender/output-check.js';
import { BLEND, OUTPUT_CASES } from './output-cases.js';
import { HOOKS_DIR, makeTempDir, runHook } from './run-hook.js';

const CHECK = join(HOOKS_DIR, 'post-check');

interface Case {
  name: string;
  env: Record<string, string>;
  /** Files under the test folder: name → content ('' = empty); a name ending in '@' is a dangling link. */
  files?: Record<string, string>;
}

const CASES: Case[] = [
  { name: 'all present, a run by step', env: { RENDER_OUTPUT: '//out/f_##', RENDER_FORMAT: 'PNG', RENDER_START: '1', RENDER_END: '5', RENDER_STEP: '2' }, files: { 'out/f_01.png': 'x', 'out/f_03.png': 'x', 'out/f_05.png': 'x' } },
  { name: 'missing and empty, negative frames', env: { RENDER_OUTPUT: '//out/g_##', RENDER_FORMAT: 'OPEN_EXR', RENDER_FRAME_LIST: '-2 -1 0' }, files: { 'out/g_-01.exr': 'x', 'out/g_00.exr': '' } },
  { name: 'no format: any one extension, empty and missing', env: { RENDER_OUTPUT: '//out/h_', RENDER_FORMAT: '', RENDER_FRAME_LIST: '1 2 3' }, files: { 'out/h_0001.jpg': 'x', 'out/h_0002.png': '' } },
  { name: 'no format: an empty bare file', env: { RENDER_OUTPUT: '//out/b_', RENDER_FORMAT: '', RENDER_FRAME_LIST: '1 2' }, files: { 'out/b_0001': '', 'out/b_0002': 'x' } },
  { name: '"File Extensions" off: the bare path counts', env: { RENDER_OUTPUT: '//out/k_', RENDER_FORMAT: 'PNG', RENDER_FRAME_LIST: '1 2' }, files: { 'out/k_0001': 'x', 'out/k_0002': '' } },
  { name: 'an image extension replaced by the format\'s', env: { RENDER_OUTPUT: '//out/j_##.png', RENDER_FORMAT: 'jpeg', RENDER_FRAME_LIST: '7 8' }, files: { 'out/j_07.jpg': 'x', 'out/j_08.png': 'x' } },
  { name: 'a relative pattern: in the hook\'s folder', env: { RENDER_OUTPUT: 'rel/r_###', RENDER_FORMAT: 'TGA', RENDER_FRAME_LIST: '1 2' }, files: { 'rel/r_001.tga': 'x' } },
  { name: 'a pattern ending in a slash', env: { RENDER_OUTPUT: '//out/sub/', RENDER_FORMAT: 'PNG', RENDER_FRAME_LIST: '3' }, files: { 'out/sub/0003.png': 'x' } },
  { name: 'a dangling link is missing', env: { RENDER_OUTPUT: '//out/d_', RENDER_FORMAT: 'PNG', RENDER_FRAME_LIST: '1' }, files: { 'out/d_0001.png@': '' } },
  { name: 'no RENDER_OUTPUT', env: { RENDER_FRAME_LIST: '1' } },
  { name: 'a movie, in any case', env: { RENDER_OUTPUT: '//out/m_', RENDER_FORMAT: 'ffmpeg', RENDER_FRAME_LIST: '1' } },
  { name: 'an unknown format: any extension, said on stderr', env: { RENDER_OUTPUT: '//out/u_', RENDER_FORMAT: 'xyz', RENDER_FRAME_LIST: '1 2' }, files: { 'out/u_0001.xyz': 'x' } },
  { name: 'step 0 and no list: exit 2', env: { RENDER_OUTPUT: '//out/z_', RENDER_FORMAT: 'PNG', RENDER_START: '1', RENDER_END: '2', RENDER_STEP: '0' } },
  { name: 'no step: 1', env: { RENDER_OUTPUT: '//out/n_', RENDER_FORMAT: 'PNG', RENDER_START: '4', RENDER_END: '6' }, files: { 'out/n_0005.png': 'x' } },
];

const parity = suite('output check in place = post-check');
let temp: ReturnType<typeof makeTempDir>;
parity.before.each(() => { temp = makeTempDir('outcheck'); });
parity.after.each(() => temp.remove());

async function bothAnswer(env: Record<string, string>, cwd: string): Promise<void> {
  const hook = runHook(CHECK, env, cwd);
  const inPlace = await checkOutputs(env, cwd);
  const lines = (text: string[]) => text.map((line) => `${line}\n`).join('');
  assert.equal({ status: inPlace.code, stdout: lines(inPlace.stdout), stderr: lines(inPlace.stderr) },
    { status: hook.status, stdout: hook.stdout, stderr: hook.stderr });
}

for (const c of CASES) {
  parity(c.name, async () => {
    for (const [name, body] of Object.entries(c.files ?? {})) {
      const file = join(temp.dir, name.replace(/@$/, ''));
      mkdirSync(dirname(file), { recursive: true });
      if (name.endsWith('@')) symlinkSync(join(temp.dir, 'nowhere'), file);
      else writeFileSync(file, body);
    }
    await bothAnswer({ RENDER_FILE: join(temp.dir, 'scene.blend'), ...c.env }, temp.dir);
  });
}

// every output path case of post-check.test, in an empty folder: each frame missing, named alike
for (const [rawPattern, frame, format] of OUTPUT_CASES) {
  parity(`missing: ${rawPattern} frame ${frame} ${format || '(scene format)'}`, async () => {
    const blend = join(temp.dir, 'bx', 'scene.blend');
    await bothAnswer({ RENDER_OUTPUT: rawPattern.replace(dirname(BLEND), dirname(blend)), RENDER_FORMAT: format, RENDER_FILE: blend, RENDER_FRAME_LIST: String(frame) }, temp.dir);
  });
}

parity.run();
