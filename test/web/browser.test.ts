// The dashboard in a real browser (Debian's chromium, headless, driven by puppeteer-core): it loads,
// shows a running job's frames as they land, a click on pause pauses the job on the spool, and a
// refused action says why. SCREENSHOTS_DIR=docs/img saves the pictures the README shows.
import fs from 'node:fs';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import sharp from 'sharp';
import puppeteer, { type Browser, type Page } from 'puppeteer-core';
import { Fleet, makeTempSpool, renderJson, runRender, submitExec, waitUntil, withTimeout, writeScript, type TempSpool } from '../support/index.js';
import { startRenderWeb, type WebProcess } from './support.js';

const CHROMIUM = '/usr/bin/chromium';
const HOSTILE_NAME = '<img src=x onerror=alert(1)>';
const hasChromium = fs.existsSync(CHROMIUM);

let temp: TempSpool;
let fleet: Fleet;
let web: WebProcess;
let browser: Browser;
let page: Page;
const dialogs: string[] = [];

async function screenshot(name: string): Promise<void> {
  const dir = process.env.SCREENSHOTS_DIR ? path.resolve(process.env.SCREENSHOTS_DIR) : temp.dir;
  await page.screenshot({ path: path.join(dir, name) as `${string}.png`, fullPage: true });
}

test.before(async () => {
  if (!hasChromium) return;
  temp = await makeTempSpool('renderd-web-browser-');
  // the frames the "renderer" saves as previews, one colour each
  for (let frame = 1; frame <= 24; frame++) {
    await sharp({ create: { width: 320, height: 180, channels: 3, background: { r: (frame * 37) % 255, g: 90 + frame * 4, b: 200 - frame * 6 } } }).png().toFile(temp.path(`frame${frame}.png`));
  }
  await writeScript(temp.path('render.sh'), `d="$RENDER_SPOOL/jobs/$RENDER_JOB/previews"; mkdir -p "$d"
for f in $(seq $RENDER_START $RENDER_END); do echo "frame $f <b>saved</b>"; sleep 0.6; cp ${temp.dir}/frame$f.png "$d/$(printf %04d $f).png"; done\n`);
  fleet = new Fleet(temp.spool);
  fleet.start('render01', { slots: 2, extraArgs: ['--tags', 'gpu,studio', '--pool', 'lighting'] });
  fleet.start('render02', { slots: 1 });
  web = await startRenderWeb(temp.spool);
  browser = await puppeteer.launch({ executablePath: CHROMIUM, headless: true, args: ['--no-sandbox', '--disable-gpu'] });
  page = await browser.newPage();
  page.on('dialog', (d) => { dialogs.push(d.message()); void d.dismiss(); });
  await page.setViewport({ width: 1280, height: 800 });
});

test.after(async () => {
  await browser?.close();
  await web?.stop();
  await fleet?.stopAll();
  await temp?.cleanup();
});

const rowCount = (selector: string) => page.$$eval(selector, (els) => els.length);

test('the farm page lists jobs and nodes live, a hostile name as text', () => withTimeout(60_000, 'farm page', async () => {
  if (!hasChromium) return console.log(`skipped: no ${CHROMIUM}`);
  await submitExec(temp.spool, ['--frames', '1-40', '--chunk', '1', '--name', 'shot_020_comp', '--priority', '3'], ['sleep', '0.5']);
  await page.goto(web.url + '/', { waitUntil: 'load' });
  await page.waitForSelector('#live.on');
  await page.waitForSelector('tr[data-node="render02"]');
  // a job submitted after the page opened reaches it over the event stream
  // paused until the job page is open, so that page sees its frames land
  const job = await submitExec(temp.spool, ['--frames', '1-24', '--chunk', '4', '--paused', '--name', HOSTILE_NAME], [temp.path('render.sh')]);
  await page.waitForSelector(`tr[data-job="${job}"]`, { timeout: 15_000 });
  assert.is(await page.$eval(`tr[data-job="${job}"] td.c-name a`, (a) => a.textContent), HOSTILE_NAME);
  assert.is(await page.$$eval('img[src="x"]', (els) => els.length), 0);
  await waitUntil('the job shown paused', () => page.$eval(`tr[data-job="${job}"] .badge`, (b) => b.textContent === 'paused'), 20_000, 100);
  await screenshot('web-farm.png');
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'dark' }]);
  await page.setViewport({ width: 390, height: 844, isMobile: true });
  await screenshot('web-phone-dark.png');
  await page.emulateMediaFeatures([{ name: 'prefers-color-scheme', value: 'light' }]);
  await page.setViewport({ width: 1280, height: 800 });
  assert.equal(dialogs, []);
}));

test('the job page shows frames as they arrive; pause refused without the token, then done with it', () => withTimeout(90_000, 'job page', async () => {
  if (!hasChromium) return;
  const jobs = await renderJson<{ id: string; name: string }[]>(temp.spool, ['list']);
  const job = jobs.find((j) => j.name === HOSTILE_NAME)!.id;
  await page.goto(`${web.url}/#/job/${job}`, { waitUntil: 'load' });
  await page.waitForSelector('.jobname');
  assert.is(await page.$eval('.jobname', (el) => el.textContent), HOSTILE_NAME);
  assert.is(await rowCount('.thumb img'), 0);
  assert.is((await runRender(['--spool', temp.spool, 'resume', job])).code, 0);
  const first = await waitUntil('a first frame', async () => { const n = await rowCount('.thumb img'); return n > 0 ? n : undefined; }, 30_000, 100);
  await waitUntil('more frames as they land', async () => (await rowCount('.thumb img')) > first, 30_000, 100);
  await page.click('.vrow[data-chunk="0001"]');
  await waitUntil('the chunk\'s log', () => page.$eval('pre.log', (el) => /frame 1 <b>saved<\/b>/.test(el.textContent ?? '')), 15_000, 100);
  assert.is(await rowCount('pre.log b'), 0, 'a log line is text, not markup');
  await waitUntil('the thumbnails loaded', () => page.$$eval('.thumb img', (imgs) => imgs.every((i) => (i as HTMLImageElement).complete)), 10_000, 100);
  await screenshot('web-job.png');
  // no token: refused, and the page says why
  await page.click('button.job-pause');
  await page.waitForSelector('#status.refused');
  assert.match(await page.$eval('#status', (el) => el.textContent ?? ''), /^refused: no token/);
  assert.is((await renderJson<{ paused: boolean }>(temp.spool, ['show', job])).paused, false);
  // with the token (render web token), the click pauses the job on the spool
  const token = (await runRender(['--spool', temp.spool, 'web', 'token'])).stdout.trim();
  await page.type('#token', token);
  await page.click('button.job-pause');
  await page.waitForSelector('#status.ok');
  assert.match(await page.$eval('#status', (el) => el.textContent ?? ''), new RegExp(`^${job}: paused$`));
  assert.is((await renderJson<{ paused: boolean }>(temp.spool, ['show', job])).paused, true);
  await page.waitForSelector('button.job-resume', { timeout: 10_000 });
  assert.equal(dialogs, []);
}));

test('a 10,000-chunk job draws only the rows in view', () => withTimeout(90_000, 'big job', async () => {
  if (!hasChromium) return;
  const job = await submitExec(temp.spool, ['--frames', '1-10000', '--chunk', '1', '--paused', '--name', 'big'], ['true']);
  await page.goto(`${web.url}/#/job/${job}`, { waitUntil: 'load' });
  await page.waitForSelector('.vrow[data-chunk]', { timeout: 60_000 });
  const drawn = await rowCount('.vrow');
  assert.ok(drawn > 5 && drawn < 100, `${drawn} rows drawn`);
  await page.$eval('.vlist', (el) => { el.scrollTop = el.scrollHeight; });
  await page.waitForSelector('.vrow[data-chunk="10000"]', { timeout: 10_000 });
  assert.ok((await rowCount('.vrow')) < 100);
}));

test.run();
