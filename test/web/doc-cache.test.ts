import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { DocCache } from '../../src/web/doc-cache.js';

test('one read serves every request of its poll; the next poll reads again; a failure is not kept', async () => {
  let now = 0;
  let reads = 0;
  const cache = new DocCache<string>(500, () => now);
  const load = async () => `doc ${++reads}`;
  const asked = await Promise.all(Array.from({ length: 50 }, () => cache.get('job:a', load)));
  assert.equal(new Set(asked), new Set(['doc 1']));
  now = 499;
  assert.is(await cache.get('job:a', load), 'doc 1');
  assert.is(await cache.get('job:b', load), 'doc 2');
  now = 500;
  assert.is(await cache.get('job:a', load), 'doc 3');
  await cache.get('bad', () => Promise.reject(new Error('gone'))).catch(() => undefined);
  await Promise.resolve();
  assert.is(await cache.get('bad', load), 'doc 4');
  cache.clear();
  assert.is(await cache.get('job:a', load), 'doc 5');
});

test.run();
