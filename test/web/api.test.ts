// The HTTP API on a real farm: a renderd node, `render exec` jobs, `render web` serving the spool.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import parsePrometheusTextFormat from 'parse-prometheus-text-format';
import { makeTempSpool, renderJson, runRender, submitExec, waitUntil, withFleet, withTimeout, type TempSpool } from '../support/index.js';
import { startRenderWeb, rawRequest, type WebProcess } from './support.js';

let temp: TempSpool;
let web: WebProcess;
let doneJob: string;

test.before(async () => {
  temp = await makeTempSpool('renderd-web-');
  await withFleet(temp.spool, async (fleet) => {
    fleet.start('n1', { slots: 2 });
    doneJob = await submitExec(temp.spool, ['--frames', '1-6', '--chunk', '2', '--name', 'shot_<b>010</b>'], ['sh', '-c', 'echo "frame $RENDER_FRAMES <script>"']);
    await waitUntil('the job done', async () => (await renderJson<{ state: string }>(temp.spool, ['show', doneJob])).state === 'done', 30_000, 100);
  });
  web = await startRenderWeb(temp.spool);
});

test.after(async () => {
  await web?.stop();
  await temp?.cleanup();
});

const get = async (url: string) => {
  const res = await fetch(web.url + url);
  return { status: res.status, type: res.headers.get('content-type') ?? '', text: await res.text(), headers: res.headers };
};

test('/api/jobs, /api/jobs/ID and /api/nodes are the documents render list|show|nodes --json print', () => withTimeout(30_000, 'documents', async () => {
  assert.equal(JSON.parse((await get('/api/jobs')).text), await renderJson(temp.spool, ['list']));
  assert.equal(JSON.parse((await get(`/api/jobs/${doneJob}`)).text), await renderJson(temp.spool, ['show', doneJob]));
  assert.equal(JSON.parse((await get('/api/jobs?state=done&owner=nobody')).text), await renderJson(temp.spool, ['list', '--state', 'done', '--owner', 'nobody']));
  assert.equal(JSON.parse((await get('/api/jobs?name=shot_*')).text).map((j: { id: string }) => j.id), [doneJob]);
  const nodes = JSON.parse((await get('/api/nodes')).text) as { name: string }[];
  assert.equal(nodes.map((n) => n.name), (await renderJson<{ name: string }[]>(temp.spool, ['nodes'])).map((n) => n.name));
}));

test('a chunk\'s log is its text, paged by byte offset', () => withTimeout(30_000, 'log', async () => {
  const log = await get(`/api/jobs/${doneJob}/chunks/0002/log`);
  assert.is(log.status, 200);
  assert.match(log.type, /^text\/plain/);
  assert.match(log.text, /frame 3-4 <script>/);
  assert.is(log.headers.get('x-log-attempt'), '1');
  const size = Number(log.headers.get('x-log-size'));
  assert.is((await get(`/api/jobs/${doneJob}/chunks/0002/log?from=${size}`)).text, '');
  assert.is((await get(`/api/jobs/${doneJob}/chunks/0002/log?attempt=7`)).status, 404);
}));

test('bad requests get a 4xx and one line', () => withTimeout(30_000, 'bad requests', async () => {
  for (const [url, status] of [['/api/jobs?colour=red', 400], ['/api/jobs?state=sleeping', 400], ['/api/jobs/nosuchjob', 404],
    [`/api/jobs/${doneJob}/chunks/0002/log?from=-1`, 400], ['/api/nope', 404], ['/nope', 404]] as const) {
    const res = await get(url);
    assert.is(res.status, status, url);
    assert.match(res.text, /^[^\n]+\n$/, `${url}: one line`);
  }
}));

test('only previews and logs inside the spool can be fetched: .., %2e%2e and links are refused', () => withTimeout(30_000, 'paths', async () => {
  const previews = path.join(temp.spool, 'jobs', doneJob, 'previews');
  await fs.mkdir(previews, { recursive: true });
  await fs.writeFile(path.join(previews, '0001.png'), Buffer.from('89504e470d0a1a0a', 'hex'));
  await fs.symlink('/etc/passwd', path.join(previews, '0002.png'));
  const ok = await get(`/api/jobs/${doneJob}/previews/0001.png`);
  assert.is(ok.status, 200);
  assert.is(ok.type, 'image/png');
  assert.is((await get(`/api/jobs/${doneJob}/previews/0002.png`)).status, 403);
  // a job folder that is a link out of the spool
  await fs.mkdir(temp.path('outside', 'previews'), { recursive: true });
  await fs.writeFile(temp.path('outside', 'previews', '0001.png'), 'secret');
  await fs.symlink(temp.path('outside'), path.join(temp.spool, 'jobs', 'linkjob'));
  const linked = await get('/api/jobs/linkjob/previews/0001.png');
  assert.ok(linked.status >= 400 && linked.status < 500 && !linked.text.includes('secret'), `linked job: ${linked.status}`);
  for (const target of [`/api/jobs/${doneJob}/previews/../job.json`, `/api/jobs/${doneJob}/previews/%2e%2e/job.json`, `/api/jobs/${doneJob}/previews/..%2fjob.json`,
    '/api/jobs/..%2f..%2f/previews/0001.png', `/api/jobs/${doneJob}/chunks/%2e%2e%2flocks/log`, '/app/..%2f..%2f..%2fpackage.json', '/../../etc/passwd']) {
    const res = await rawRequest(web.port, `GET ${target} HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n`);
    assert.ok(res.status >= 400 && res.status < 500, `${target}: ${res.status}`);
    assert.not.match(res.body, /"id"|root:/, target);
  }
}));

test('a loopback server refuses a request addressed to another name (DNS rebinding)', () => withTimeout(30_000, 'host', async () => {
  const rebound = await rawRequest(web.port, 'GET /api/jobs HTTP/1.1\r\nHost: evil.example:8470\r\nConnection: close\r\n\r\n');
  assert.is(rebound.status, 421);
  assert.not.match(rebound.body, /"id"/);
  assert.is((await rawRequest(web.port, 'GET /api/jobs HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n')).status, 200);
}));

test('/metrics parses as Prometheus text and counts the farm', () => withTimeout(30_000, 'metrics', async () => {
  const res = await get('/metrics');
  assert.match(res.type, /^text\/plain; version=0\.0\.4/);
  const families = parsePrometheusTextFormat(res.text) as { name: string; metrics: { labels?: Record<string, string>; value?: string; count?: string }[] }[];
  const chunks = families.find((f) => f.name === 'renderd_chunks')!;
  assert.is(chunks.metrics.find((m) => m.labels?.state === 'done')?.value, '3');
  const durations = families.find((f) => f.name === 'renderd_chunk_duration_seconds')!;
  assert.is(durations.metrics[0].count, '3');
}));

test('the page and its modules are served with a policy that forbids inline script', () => withTimeout(30_000, 'page', async () => {
  const page = await get('/');
  assert.match(page.type, /^text\/html/);
  assert.match(page.headers.get('content-security-policy') ?? '', /script-src 'self'/);
  assert.match((await get('/app/main.js')).type, /^text\/javascript/);
  assert.is((await get('/app/nothere.js')).status, 404);
}));

test('render web: a bad --listen is one line and exit 2; the token is the farm\'s', () => withTimeout(30_000, 'cli', async () => {
  const bad = await runRender(['--spool', temp.spool, 'web', '--listen', 'nonsense']);
  assert.is(bad.code, 2);
  assert.is(bad.stderr, "render: --listen must be HOST:PORT (e.g. 127.0.0.1:8470), got 'nonsense'\n");
  const token = await runRender(['--spool', temp.spool, 'web', 'token']);
  assert.is(token.code, 0);
  assert.match(token.stdout, /^[0-9a-f]{64}\n$/);
}));

test.run();
