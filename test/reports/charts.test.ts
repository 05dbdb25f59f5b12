// The charts: well-formed SVG that carries the data (labels, one bar per bucket, one cell per node and
// bucket, one dot per chunk), a self-contained HTML page, and that page rendered by headless Chromium.
import fs from 'node:fs/promises';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { escapeXml } from '../../src/reports/svg.js';
import { aggregateStats, formatTextReport, htmlReport, reportCharts, reportSvg } from '../../src/reports/index.js';
import { withTempSpool } from '../support/index.js';
import { CHROMIUM, screenshot } from './chromium.js';
import { countNear, colourCount, decodePng } from './png.js';
import { SAMPLE_JOBS, SAMPLE_NODES, sampleReport } from './sample-report.js';
import { xmlProblems } from './xml-check.js';
import { T0 } from './fixtures.js';
import { gate } from '../support/requires.js';

const count = (text: string, pattern: RegExp) => [...text.matchAll(pattern)].length;

test('the xml check itself catches what it should', () => {
  assert.equal(xmlProblems('<a x="1"><b/>t &amp; u</a>'), []);
  assert.ok(xmlProblems('<a><b></a>').length);
  assert.ok(xmlProblems('<a x=1/>').length);
  assert.ok(xmlProblems('<a>R&D</a>').length);
  assert.ok(xmlProblems('<a>').length);
});

test('--svg: one well-formed document with three charts carrying the data', () => {
  const report = sampleReport();
  const svg = reportSvg(report);
  assert.equal(xmlProblems(svg), []);
  assert.match(svg, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<svg xmlns="http:\/\/www\.w3\.org\/2000\/svg"/);
  assert.is(count(svg, /<svg /g), 4, 'a root and three charts');
  for (const title of ['Farm throughput', 'Node utilisation over time', 'Frame time per job']) assert.ok(svg.includes(title), title);
  // throughput: one bar per bucket, their frames adding up to the report's
  const bars = [...svg.matchAll(/class="bar"[^>]*data-frames="(\d+)"/g)].map((m) => Number(m[1]));
  assert.is(bars.length, report.throughput.length);
  assert.ok(bars.length > 5, `${bars.length} buckets`);
  assert.is(bars.reduce((a, b) => a + b, 0), report.totals.frames);
  // utilisation: a row per node (registered idle ones too), a cell per bucket
  for (const node of [...SAMPLE_NODES.map((n) => n.node), 'spare-09']) assert.ok(svg.includes(`>${node}</text>`), node);
  assert.is(count(svg, /class="cell"/g), report.nodes.length * report.throughput.length);
  // frame times: a box per job, a dot per done chunk
  for (const job of SAMPLE_JOBS) {
    const stats = report.jobs.find((j) => j.job === job.job)!;
    assert.ok(svg.includes(`data-job="${job.job}" data-count="${stats.chunksDone}"`), job.job);
    assert.is(stats.chunksDone, job.chunks);
  }
  assert.is(count(svg, /class="dot"/g), report.jobs.reduce((n, j) => n + j.frameTimesMs.length, 0));
  // a job name with markup in it is text, not markup
  assert.ok(svg.includes(escapeXml(SAMPLE_JOBS[0].jobName)));
  assert.not.ok(svg.includes('<lighting>'));
});

test('charts of an empty farm are still well-formed and say so', () => {
  const report = aggregateStats([], { nowMs: T0, sinceMs: 3600_000 });
  for (const chart of reportCharts(report)) assert.equal(xmlProblems(chart.svg), []);
  assert.match(reportSvg(report), /no finished chunks in this window/);
  assert.match(formatTextReport(report), /JOBS\n {2}none in this window/);
  assert.is(formatTextReport(aggregateStats([], { nowMs: T0 })), 'no stats yet: nodes write them as they finish chunks');
});

test('the terminal report: headline totals, a sparkline, a row per job and per node', () => {
  const report = sampleReport();
  const text = formatTextReport(report, 3);
  assert.match(text, new RegExp(`^all recorded: 05-01 \\d\\d:\\d\\d:\\d\\d → 05-01 \\d\\d:\\d\\d:\\d\\d UTC  ${report.totals.frames} frames, 50 chunks, ${report.totals.failures} failed attempt\\(s\\)`));
  assert.match(text, '(3 malformed stats line(s) skipped)');
  assert.match(text, /THROUGHPUT {2}frames\/hour per 5m {2}peak [\d,]+\/h\n {2}[▁▂▃▄▅▆▇█]+\n/);
  for (const job of SAMPLE_JOBS) assert.match(text, new RegExp(`\\n  ${job.job}  `));
  assert.match(text, /\n {2}render-01 +2 +\d+ +\d+ +\S+ +[█▏▎▍▌▋▊▉░]{12} +\d+% +[▁▂▃▄▅▆▇█]+\n/);
  assert.match(text, /\n {2}spare-09 +4 +0 +0 +0s +░{12} +0% +▁+\n/);
});

test('--html: one page, offline (nothing fetched, no script), charts and both tables', () => {
  const report = sampleReport();
  const html = htmlReport(report, '2024-05-01T14:00:00.000Z', '/srv/spool');
  assert.match(html, /^<!DOCTYPE html>/);
  assert.is(count(html, /<svg /g), 3);
  assert.not.match(html, /<script|<link|<img|src=|href=|url\(|@import/i);
  assert.is(count(html, /https?:\/\//g), 3, 'only the three SVG namespaces');
  assert.is(count(html, /<tr>/g), 2 + report.jobs.length + report.nodes.length);
  assert.ok(html.includes(escapeXml(SAMPLE_JOBS[0].jobName)));
  assert.match(html, '<b>' + String(report.totals.frames).replace(/\B(?=(\d{3})+(?!\d))/g, ',') + '</b><span>frames</span>');
});

gate(test, 'Chromium', CHROMIUM ? null : 'chromium is not installed (apt-get install chromium; .ci/run does)')('the HTML page renders in headless Chromium: charts drawn, not a blank page', async () => {
  await withTempSpool(async (tmp) => {
    const html = tmp.path('report.html');
    const png = tmp.path('report.png');
    await fs.writeFile(html, htmlReport(sampleReport(), '2024-05-01T14:00:00.000Z', '/srv/spool'));
    await screenshot(html, png, tmp.path('profile'));
    if (process.env.RENDER_KEEP_SCREENSHOT) await fs.copyFile(png, process.env.RENDER_KEEP_SCREENSHOT);
    const file = await fs.readFile(png);
    assert.ok(file.length > 20_000, `a screenshot of ${file.length} bytes is too small to hold charts`);
    const pixels = decodePng(file);
    assert.equal([pixels.width, pixels.height], [1200, 900]);
    assert.ok(colourCount(pixels) > 40, `only ${colourCount(pixels)} colours: blank?`);
    const bars = countNear(pixels, [0x2f, 0x6f, 0xde], 16);
    assert.ok(bars > 2000, `throughput bars (#2f6fde): ${bars} pixels`);
    const heat = countNear(pixels, [0x1d, 0x4e, 0xd8], 40);
    assert.ok(heat > 500, `utilisation cells: ${heat} pixels`);
    const background = countNear(pixels, [0xf5, 0xf7, 0xfa], 2);
    assert.ok(background < pixels.width * pixels.height * 0.8, 'mostly background');
  });
});

test.run();
