// A farm steered over HTTP: `renderd --http` serving beside its node, actions with and without the
// token, and the event stream as jobs come and go.
import fs from 'node:fs/promises';
import net from 'node:net';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { makeTempSpool, renderJson, runRender, submitExec, waitUntil, Fleet, withTimeout, type NodeProcess, type TempSpool } from '../support/index.js';
import { EventReader } from './support.js';

let temp: TempSpool;
let fleet: Fleet;
let node: NodeProcess;
let url: string;
let token: string;

test.before(async () => {
  temp = await makeTempSpool('renderd-web-live-');
  fleet = new Fleet(temp.spool);
  node = fleet.start('n1', { extraArgs: ['--http', '127.0.0.1:0'] });
  url = /serving on (http:\/\/\S+)\//.exec(await node.waitForLine(/web: serving on/, 15_000))![1];
  token = (await runRender(['--spool', temp.spool, 'web', 'token'])).stdout.trim();
});

test.after(async () => {
  await fleet?.stopAll();
  await temp?.cleanup();
});

const post = async (path: string, body: string | undefined, auth?: string) => {
  const headers: Record<string, string> = { 'Content-Type': 'application/json' };
  if (auth) headers.Authorization = auth;
  const res = await fetch(url + path, { method: 'POST', headers, body });
  return { status: res.status, text: await res.text() };
};
const show = (job: string) => renderJson<{ paused: boolean; priority: number; state: string }>(temp.spool, ['show', job]);

test('actions without a valid token are refused, said in one line, and logged', () => withTimeout(30_000, 'refused', async () => {
  const job = await submitExec(temp.spool, ['--frames', '1', '--paused'], ['true']);
  const none = await post(`/api/jobs/${job}/pause`, '{}');
  assert.is(none.status, 401);
  assert.is(none.text, 'refused: no token (Authorization: Bearer <token>; render web token prints it)\n');
  const wrong = await post(`/api/jobs/${job}/resume`, '{}', `Bearer ${'0'.repeat(64)}`);
  assert.is(wrong.status, 401);
  assert.is(wrong.text, 'refused: wrong token\n');
  await node.waitForLine(/web: refused .*POST \/api\/jobs\/\S+\/resume: wrong token/, 5000);
  assert.is((await show(job)).paused, true);
}));

test('with the token: pause stops a running job on the spool, priority and node drain take effect', () => withTimeout(60_000, 'actions', async () => {
  const job = await submitExec(temp.spool, ['--frames', '1-4', '--chunk', '1'], ['sleep', '30']);
  await waitUntil('a chunk running', async () => (await show(job)).state === 'running', 20_000, 100);
  const auth = `Bearer ${token}`;
  const paused = await post(`/api/jobs/${job}/pause`, '', auth);
  assert.is(paused.status, 200, paused.text);
  assert.equal(JSON.parse(paused.text), { id: job, result: 'paused' });
  assert.is((await show(job)).paused, true);
  await waitUntil('its chunk stopped', async () => (await show(job)).state === 'paused', 20_000, 100);
  assert.is((await post(`/api/jobs/${job}/priority`, '{"priority": 7}', auth)).status, 200);
  assert.is((await show(job)).priority, 7);
  const big = await post(`/api/jobs/${job}/priority`, JSON.stringify({ priority: 1, pad: 'x'.repeat(20_000) }), auth);
  assert.is(big.status, 413);
  assert.is((await post(`/api/jobs/${job}/priority`, 'seven', auth)).text, 'body is not JSON\n');
  assert.is((await post(`/api/jobs/${job}/priority`, '{"priority": "high"}', auth)).text, "priority must be a whole number, got 'high'\n");
  assert.is((await post('/api/nodes/n1/drain', '', auth)).status, 200);
  assert.is(JSON.parse(await fs.readFile(`${temp.spool}/control/n1.json`, 'utf8')).state, 'draining');
  assert.is((await post('/api/nodes/n1/resume', '', auth)).status, 200);
  assert.is((await post('/api/nodes/ghost/pause', '', auth)).status, 404);
  assert.is((await post(`/api/jobs/${job}/remove`, '', auth)).status, 200);
  assert.equal((await renderJson<{ id: string }[]>(temp.spool, ['list'])).filter((j) => j.id === job), []);
}));

test('every open page hears of a new job and of its end', () => withTimeout(60_000, 'events', async () => {
  const pages = await Promise.all([EventReader.open(url), EventReader.open(url)]);
  try {
    for (const page of pages) await page.waitFor('the snapshot', (e) => e.type === 'snapshot');
    const job = await submitExec(temp.spool, ['--frames', '1-2', '--name', 'heard'], ['true']);
    type Changes = { jobs: { id: string; state: string }[] };
    for (const page of pages) {
      await page.waitFor('the new job', (e) => e.type === 'farm' && (e.data as Changes).jobs.some((j) => j.id === job));
      await page.waitFor('its end', (e) => e.type === 'farm' && (e.data as Changes).jobs.some((j) => j.id === job && j.state === 'done'));
      await page.waitFor('a job event for it', (e) => e.type === 'job' && (e.data as { id: string }).id === job);
    }
  } finally {
    for (const page of pages) page.close();
  }
}));

test('clients that send half a request do not stall the others', () => withTimeout(60_000, 'slow clients', async () => {
  const { port } = new URL(url);
  const slow = await Promise.all(Array.from({ length: 30 }, () => new Promise<net.Socket>((resolve) => {
    const socket = net.connect(Number(port), '127.0.0.1', () => { socket.write('GET /api/jobs HTTP/1.1\r\nHost: x\r\n'); resolve(socket); });
    socket.on('error', () => undefined); // the server may close it: that is the point
  })));
  try {
    const res = await fetch(`${url}/api/nodes`);
    assert.is(res.status, 200);
    await res.text();
  } finally {
    for (const socket of slow) socket.destroy();
  }
}));

test('renderd --http: a bad address is one line and exit 2', () => withTimeout(30_000, 'bad --http', async () => {
  const bad = fleet.start('n2', { extraArgs: ['--http', 'nowhere'] });
  const exit = await bad.waitExit(15_000);
  assert.is(exit.code, 2);
  assert.is(bad.stderr, "renderd: --http must be HOST:PORT (e.g. 127.0.0.1:8470), got 'nowhere'\n");
}));

test('a port in use is one line, not a stack', () => withTimeout(30_000, 'port in use', async () => {
  const { port } = new URL(url);
  const taken = await runRender(['--spool', temp.spool, 'web', '--listen', `127.0.0.1:${port}`]);
  assert.is(taken.code, 1);
  assert.is(taken.stderr, `render: cannot listen on 127.0.0.1:${port}: EADDRINUSE\n`);
}));

test.run();
