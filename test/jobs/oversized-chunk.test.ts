// Issue 24: a chunk whose info file would pass the cap a spool file may hold is refused at submission
// (exit 2, one line saying which --chunk fits), not quarantined at its first claim.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { runRender, withTempSpool } from '../support/index.js';

test('--chunk 200000 of 7-digit frames: refused, exit 2, one line; nothing queued', async () => {
  await withTempSpool(async (tmp) => {
    const result = await runRender(['--spool', tmp.spool, 'exec', '--frames', '1000000-1200000', '--chunk', '200000', '--', 'true']);
    assert.is(result.code, 2);
    assert.is(result.stderr.trim().split('\n').length, 1, result.stderr);
    assert.match(result.stderr, /--chunk 200000: .* use --chunk \d+ or less/);
    assert.equal(await fs.readdir(path.join(tmp.spool, 'jobs')).catch(() => []), []);
  });
});

test.run();
