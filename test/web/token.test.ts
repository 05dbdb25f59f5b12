import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { checkBearer, deriveWebToken } from '../../src/web/token.js';

const key = Buffer.alloc(32, 7);
const token = deriveWebToken(key);

test('the token is a stable HMAC of the farm key, not the key', () => {
  assert.match(token, /^[0-9a-f]{64}$/);
  assert.is(deriveWebToken(Buffer.alloc(32, 7)), token);
  assert.is.not(deriveWebToken(Buffer.alloc(32, 8)), token);
  assert.is.not(token, key.toString('hex'));
});

test('only the right token in a Bearer header passes; each refusal says why', () => {
  assert.equal(checkBearer(`Bearer ${token}`, token), { ok: true });
  assert.equal(checkBearer(`bearer ${token.toUpperCase()}`, token), { ok: true });
  const reason = (header: string | undefined, t: string | undefined = token) => { const c = checkBearer(header, t); return c.ok ? 'ok' : c.reason; };
  assert.match(reason(undefined), /^no token/);
  assert.match(reason(`Bearer ${'0'.repeat(64)}`), /^wrong token/);
  assert.match(reason(`Basic ${token}`), /^malformed/);
  assert.match(reason(`Bearer ${token}x`), /^malformed/);
  const off = checkBearer(`Bearer ${token}`, undefined);
  assert.ok(!off.ok && /cannot read the farm key/.test(off.reason));
});

test.run();
