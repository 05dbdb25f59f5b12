// `render report JOB --html FILE` on a job a real node ran (one chunk failing): a self-contained page
// with every frame on the contact sheet (previews inlined, the failed chunk's and a preview-less
// frame marked), the chunks with their attempts, the charts; and how it looks in headless Chromium.
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { runRender, submitExec, withFleet, withTempSpool, withTimeout, type TempSpool } from '../support/index.js';
import { gate } from '../support/requires.js';
import { CHROMIUM, screenshot } from './chromium.js';
import { countNear, decodePng } from './png.js';

const test = suite('render report');

/** Frame colours around the hue wheel, saturated enough to find in a screenshot. */
const COLOURS: [number, number, number][] = [[230, 60, 50], [240, 170, 40], [120, 200, 60], [40, 180, 170], [50, 110, 230], [150, 70, 220]];
const colourOf = (frame: number) => COLOURS[(frame - 1) % COLOURS.length];
const PREVIEWED = [1, 2, 3, 4, 5, 6, 10, 11];

const count = (text: string, pattern: RegExp) => (text.match(pattern) ?? []).length;

/** A 12-frame job whose chunk 7-9 failed and frame 12 has no preview, and its report page: the page's path. */
async function makeReport(tmp: TempSpool): Promise<string> {
  const job = await submitExec(tmp.spool, ['--name', 'report-shot', '--frames', '1-12', '--chunk', '3', '--retries', '0'], ['sh', '-c', 'sleep 0.2; test "$RENDER_START" != 7']);
  await withFleet(tmp.spool, async (fleet) => {
    const node = fleet.start('rep1', { exitWhenIdle: true });
    const waited = await runRender(['--spool', tmp.spool, 'wait', job], { timeoutMs: 120_000 });
    assert.is(waited.code, 1, `the job fails (chunk 7-9): ${waited.stderr}\n${fleet.logs()}`);
    // the job's end shows with its last chunk's rename, a moment before the node writes that attempt's stats
    // line: the node leaves by itself, where the fleet's SIGKILL right away could lose the line
    await node.waitExit(30_000);
  });
  for (const frame of PREVIEWED) {
    const [r, g, b] = colourOf(frame);
    const file = path.join(tmp.spool, 'jobs', job, 'previews', `${String(frame).padStart(4, '0')}.png`);
    await fs.mkdir(path.dirname(file), { recursive: true });
    await sharp({ create: { width: 320, height: 180, channels: 3, background: { r, g, b } } }).png().toFile(file);
  }
  const page = tmp.path('report.html');
  const made = await runRender(['--spool', tmp.spool, 'report', job, '--html', page]);
  assert.is(made.code, 0, made.stderr);
  assert.match(made.stdout, /12 frame\(s\), 8 preview\(s\), 4 attempt\(s\)/);
  return page;
}

test('a job with a failed chunk and a frame without preview: a self-contained page', () => withTimeout(180_000, 'report', () => withTempSpool(async (tmp) => {
  const page = await makeReport(tmp);
  const html = await fs.readFile(page, 'utf8');
  assert.not.match(html, /<script|<link|src="(?!data:)|href=|url\(|@import/i, 'self-contained');
  assert.is(count(html, /<img alt="frame \d+" src="data:image\/png;base64,/g), 8);
  assert.is(count(html, /class="frame failed"/g), 3, 'frames 7-9 marked failed');
  assert.is(count(html, /class="frame missing"/g), 1, 'frame 12 has no preview');
  assert.match(html, /rep1 \(failed\)/);
  assert.is(count(html, /<svg /g), 3, 'the three charts');
})));

gate(test, 'Chromium', CHROMIUM ? null : 'chromium is not installed (apt-get install chromium; .ci/run does)')('the report page drawn by Chromium: previews in their colours, failed frames as red holes', () => withTimeout(180_000, 'report drawn', () => withTempSpool(async (tmp) => {
  const page = await makeReport(tmp);
  const png = tmp.path('report.png');
  await screenshot(page, png, tmp.path('profile'), '1200,1100');
  if (process.env.RENDER_KEEP_SCREENSHOT) await fs.copyFile(png, process.env.RENDER_KEEP_SCREENSHOT);
  const pixels = decodePng(await fs.readFile(png));
  for (const frame of [1, 3, 5]) {
    const seen = countNear(pixels, colourOf(frame), 6);
    assert.ok(seen > 5000, `frame ${frame}'s preview drawn: ${seen} pixels of its colour`);
  }
  assert.ok(countNear(pixels, [0xf8, 0xd7, 0xd7], 4) > 3000, 'failed frames drawn as red holes');
})));

test('bad input: no --html, an unknown job, a folder that does not exist — one line, exit 2', async () => {
  await withTempSpool(async (tmp) => {
    const job = await submitExec(tmp.spool, ['--frames', '1-2', '--paused'], ['true']);
    for (const [args, message] of [[[job], /needs --html FILE/], [['nojob', '--html', tmp.path('x.html')], /nojob/], [[job, '--html', tmp.path('no', 'such', 'x.html')], /cannot write .*ENOENT/]] as const) {
      const result = await runRender(['--spool', tmp.spool, 'report', ...args]);
      assert.is(result.code, 2, `${args.join(' ')}: ${result.stderr}`);
      assert.match(result.stderr, message);
      assert.is(result.stderr.trim().split('\n').length, 1);
    }
  });
});

test.run();
