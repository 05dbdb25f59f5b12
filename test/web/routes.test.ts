import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { decideRoute } from '../../src/web/routes.js';

const refused = (method: string, url: string) => {
  const d = decideRoute(method, url);
  return d.ok ? 0 : d.status;
};

test('the API routes, with ids and frames taken apart', () => {
  assert.equal(decideRoute('GET', '/api/jobs?state=running'), { ok: true, route: { kind: 'jobs', query: new URLSearchParams('state=running') } });
  assert.equal(decideRoute('GET', '/api/jobs/abc123'), { ok: true, route: { kind: 'job', job: 'abc123' } });
  assert.equal(decideRoute('GET', '/api/jobs/abc/previews/-001.png'), { ok: true, route: { kind: 'preview', job: 'abc', frame: -1 } });
  assert.equal(decideRoute('GET', '/api/jobs/abc/previews/0012.png'), { ok: true, route: { kind: 'preview', job: 'abc', frame: 12 } });
  assert.equal(decideRoute('POST', '/api/jobs/abc/pause'), { ok: true, route: { kind: 'job-action', job: 'abc', action: 'pause' } });
  assert.equal(decideRoute('POST', '/api/nodes/n1/drain'), { ok: true, route: { kind: 'node-action', node: 'n1', action: 'drain' } });
  assert.equal(decideRoute('GET', '/api/events'), { ok: true, route: { kind: 'events' } });
  assert.equal(decideRoute('GET', '/metrics'), { ok: true, route: { kind: 'metrics' } });
  assert.equal(decideRoute('GET', '/'), { ok: true, route: { kind: 'page', file: 'index.html' } });
  assert.equal(decideRoute('GET', '/app/main.js'), { ok: true, route: { kind: 'page', file: 'app/main.js' } });
  const log = decideRoute('GET', '/api/jobs/abc/chunks/0001/log?from=10');
  assert.ok(log.ok && log.route.kind === 'log' && log.route.chunk === '0001' && log.route.query.get('from') === '10');
});

test('paths out of the spool are refused before any file is named', () => {
  for (const url of [
    '/api/jobs/../../etc/passwd', '/api/jobs/abc/previews/../../../etc/passwd', '/api/jobs/%2e%2e/previews/0001.png',
    '/api/jobs/abc/previews/%2e%2e%2f%2e%2e%2fjob.json', '/api/jobs/abc/previews/..%2f..%2fjob.json', '/app/..%2f..%2fpackage.json',
    '/api/jobs/abc/previews/job.json', '/api/jobs/abc/previews/0001.png.json', '/api/jobs/a..b', '/api/jobs/abc/chunks/..%2flocks/log',
    '/app/../../package.json', '/app/main.ts', '/style.css/../index.html', '/api/jobs/.hidden', '/api/jobs/abc\\..\\x',
  ]) assert.ok(refused('GET', url) >= 400 && refused('GET', url) < 500, url);
});

test('wrong methods are 405, unknown routes 404, long URLs 414', () => {
  assert.is(refused('DELETE', '/api/jobs/abc'), 405);
  assert.is(refused('GET', '/api/jobs/abc/pause'), 405);
  assert.is(refused('POST', '/api/jobs'), 405);
  assert.is(refused('POST', '/'), 405);
  assert.is(refused('GET', '/api/jobs/abc/explode'), 404);
  assert.is(refused('POST', '/api/nodes/n1/explode'), 404);
  assert.is(refused('GET', '/nope'), 404);
  assert.is(refused('GET', `/api/jobs/${'a'.repeat(3000)}`), 414);
});

test.run();
