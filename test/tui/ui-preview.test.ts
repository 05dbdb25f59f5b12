// The preview pane of `render ui` on a real terminal (tmux, which takes half blocks): the selected
// job's latest frame drawn in its colours, in 256 colours or true colour as COLORTERM says, following
// a new frame as it lands, and hidden when the terminal is too narrow for it.
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { xterm256 } from '../../src/previews/terminal/blocks.js';
import { makeTempSpool, runRender, withTimeout, RENDER_BIN, type TempSpool } from '../support/index.js';
import { Tmux } from './tmux.js';

const RED = { r: 200, g: 30, b: 40 };
const BLUE = { r: 20, g: 40, b: 210 };

async function writePreview(spool: string, job: string, frame: number, colour: typeof RED): Promise<void> {
  const dir = path.join(spool, 'jobs', job, 'previews');
  await fs.mkdir(dir, { recursive: true });
  const tmp = path.join(dir, `.${frame}.tmp`);
  await sharp({ create: { width: 320, height: 180, channels: 3, background: colour } }).png().toFile(tmp);
  await fs.rename(tmp, path.join(dir, `${String(frame).padStart(4, '0')}.png`));
}

/** Lines of the coloured capture that draw half blocks in `fg` and `bg` SGR codes. */
function blockLines(capture: string, code: (ground: 38 | 48) => string): string[] {
  return capture.split('\n').filter((line) => line.includes('▀') && line.includes(code(38)) && line.includes(code(48)));
}

const code256 = (c: typeof RED) => (ground: 38 | 48) => `${ground};5;${xterm256(c.r, c.g, c.b)}m`;
const codeRgb = (c: typeof RED) => (ground: 38 | 48) => `${ground};2;${c.r};${c.g};${c.b}`;

async function withUi(temp: TempSpool, size: [number, number], env: Record<string, string>, fn: (tmux: Tmux) => Promise<void>): Promise<void> {
  const tmux = new Tmux();
  try {
    await tmux.start(size[0], size[1], { LANG: 'C.UTF-8', TERM: 'screen', PS1: 'pv$ ', ...env });
    await tmux.type(`${process.execPath} ${RENDER_BIN} --spool ${temp.spool} ui`);
    await fn(tmux);
    await tmux.keys('q');
    await tmux.until('the shell back', /pv\$\s*$/);
  } finally {
    await tmux.kill();
  }
}

test('the preview pane draws the latest frame in its colours and follows the next one', () => withTimeout(120_000, 'ui preview', async () => {
  const temp = await makeTempSpool('renderd-uipv-');
  try {
    const queued = await runRender(['--spool', temp.spool, 'exec', '--json', '--paused', '--name', 'pv-job', '--frames', '1-4', '--chunk', '2', '--', 'true']);
    assert.is(queued.code, 0, queued.stderr);
    const job = (JSON.parse(queued.stdout) as { id: string }).id;
    await writePreview(temp.spool, job, 1, RED);

    await withUi(temp, [80, 24], {}, async (tmux) => {
      await tmux.until('the preview of frame 1 at 80x24', /frame 1 · pv-job/, /▀/);
      const red = await tmux.until('red blocks', /./);
      const colours = await tmux.colours();
      assert.ok(blockLines(colours, code256(RED)).length >= 3, `red half blocks in 256 colours:\n${colours}`);
      assert.ok(red.split('\n').every((line) => line.length <= 80));
      await new Promise((r) => setTimeout(r, 20)); // a later mtime for the next frame
      await writePreview(temp.spool, job, 3, BLUE);
      await tmux.until('the preview follows frame 3', /frame 3 · pv-job/);
      const after = await tmux.colours();
      assert.ok(blockLines(after, code256(BLUE)).length >= 3, `blue half blocks now:\n${after}`);
      assert.is(blockLines(after, code256(RED)).length, 0, 'no red left over');
    });

    await withUi(temp, [100, 30], { COLORTERM: 'truecolor' }, async (tmux) => {
      await tmux.until('the preview in true colour', /frame 3 · pv-job/, /▀/);
      const colours = await tmux.colours();
      assert.ok(blockLines(colours, codeRgb(BLUE)).length >= 3, `true-colour blocks:\n${colours}`);
    });

    await withUi(temp, [70, 24], {}, async (tmux) => {
      const screen = await tmux.until('the jobs at 70 columns', /pv-job/, /PROGRESS/);
      assert.not.match(screen, /frame 3 ·/, 'no room: no preview pane');
      assert.not.match(screen, /▀/);
    });
  } finally {
    await temp.cleanup();
  }
}));

test.run();
