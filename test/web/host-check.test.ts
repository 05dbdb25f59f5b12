import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { hostName, isAllowedHost } from '../../src/web/host-check.js';

test('a loopback server answers loopback names only: a rebound name is refused', () => {
  for (const host of ['127.0.0.1:8470', 'localhost:8470', 'LOCALHOST', '[::1]:8470', '127.0.0.2', 'app.localhost:8470']) assert.ok(isAllowedHost(host, '127.0.0.1'), host);
  for (const host of ['evil.example:8470', 'evil.example', '10.0.0.5:8470', undefined, '', 'a b', 'localhost.evil.example']) assert.not.ok(isAllowedHost(host, '127.0.0.1'), String(host));
  assert.not.ok(isAllowedHost('evil.example', '::1'));
});

test('a server listening wider answers any name that reaches it', () => {
  assert.ok(isAllowedHost('render-web.studio:8470', '0.0.0.0'));
  assert.ok(isAllowedHost('10.0.0.5', '10.0.0.5'));
  assert.is(hostName('[::1]:80'), '::1');
  assert.is(hostName('Farm.Studio'), 'farm.studio');
});

test.run();
