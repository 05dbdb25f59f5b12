// `render preview JOB [FRAME]`: the frame drawn with half blocks (256 colours, or true colour under
// COLORTERM=truecolor), kitty or sixel when asked; the latest frame by default; clear errors.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { xterm256 } from '../../src/previews/terminal/blocks.js';
import { runRender, submitExec, withTempSpool } from '../support/index.js';

const test = suite('render preview');

async function preview(spool: string, job: string, frame: number, rgb: [number, number, number]): Promise<string> {
  const file = path.join(spool, 'jobs', job, 'previews', `${String(frame).padStart(4, '0')}.png`);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await sharp({ create: { width: 320, height: 180, channels: 3, background: { r: rgb[0], g: rgb[1], b: rgb[2] } } }).png().toFile(file);
  return file;
}

test('draws the latest or the named frame, in 256 colours, true colour, kitty or sixel', async () => {
  await withTempSpool(async (tmp) => {
    const job = await submitExec(tmp.spool, ['--frames', '1-3', '--paused'], ['true']);
    const first = await preview(tmp.spool, job, 1, [200, 30, 40]);
    await new Promise((r) => setTimeout(r, 20));
    await preview(tmp.spool, job, 2, [20, 40, 210]);
    const base = ['--spool', tmp.spool, 'preview', job, '--cols', '32', '--rows', '9'];
    const latest = await runRender(base, { env: { ...process.env, COLORTERM: '', RENDER_GRAPHICS: '' } });
    assert.is(latest.code, 0, latest.stderr);
    const lines = latest.stdout.trimEnd().split('\n');
    assert.is(lines.length, 9, '32 cells of a 16:9 picture are 9 rows');
    assert.ok(lines.every((l) => l.includes(`38;5;${xterm256(20, 40, 210)};48;5;${xterm256(20, 40, 210)}m`) && (l.match(/▀/g) ?? []).length === 32));
    assert.match(latest.stderr, /frame 2/);
    const named = await runRender([...base.slice(0, 4), '1', ...base.slice(4)], { env: { ...process.env, COLORTERM: 'truecolor' } });
    assert.match(named.stdout, /38;2;200;30;40;48;2;200;30;40m▀/);
    const kitty = await runRender(base, { env: { ...process.env, RENDER_GRAPHICS: 'kitty' } });
    assert.match(kitty.stdout, /^\x1b_Ga=T,f=100,q=2,c=32,r=9,m=[01];iVBOR/);
    const sixel = await runRender(base, { env: { ...process.env, RENDER_GRAPHICS: 'sixel' } });
    assert.match(sixel.stdout, /^\x1bPq"1;1;\d+;\d+#0;2;0;0;0/);
    assert.match(sixel.stdout, /\x1b\\\n?$/);
    const json = await runRender([...base.slice(0, 4), '1', '--json']);
    assert.equal(JSON.parse(json.stdout), { job, frame: 1, preview: first });
  });
});

test('bad input: one line, exit 2', async () => {
  await withTempSpool(async (tmp) => {
    const job = await submitExec(tmp.spool, ['--frames', '1-3', '--paused'], ['true']);
    for (const [args, message] of [[[job], /no preview yet/], [[job, '7'], /no preview of frame 7/], [[job, 'x'], /frame must be a whole number/], [[job, '--cols', '0'], /--cols must be/], [['nojob'], /nojob/]] as const) {
      const result = await runRender(['--spool', tmp.spool, 'preview', ...args]);
      assert.is(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.is(result.stderr.trim().split('\n').length, 1);
    }
  });
});

test.run();
