// The socket folder only its user can write: another user's folder or a link made first is not used.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { privateSocketPath } from '../../src/nodes/socket-dir.js';
import { withTempSpool } from '../support/index.js';

async function choose(preferred: string): Promise<{ chosen: string; warnings: string[] }> {
  const warnings: string[] = [];
  const chosen = await privateSocketPath(preferred, (line) => warnings.push(line));
  return { chosen, warnings };
}

test('a missing folder is made 0700 and used; a too-open one of ours is made 0700', async () => {
  await withTempSpool(async (tmp) => {
    const preferred = tmp.path('run', 'renderd', 'x.sock');
    assert.equal(await choose(preferred), { chosen: preferred, warnings: [] });
    assert.is((await fs.stat(tmp.path('run', 'renderd'))).mode & 0o777, 0o700);
    await fs.chmod(tmp.path('run', 'renderd'), 0o777);
    assert.equal(await choose(preferred), { chosen: preferred, warnings: [] });
    assert.is((await fs.stat(tmp.path('run', 'renderd'))).mode & 0o777, 0o700);
  });
});

test('a folder another user made first, or a link, is not used: a fresh private folder instead, said once', async () => {
  await withTempSpool(async (tmp) => {
    const theirs = tmp.path('theirs');
    await fs.mkdir(path.join(theirs, 'renderd'), { recursive: true, mode: 0o777 });
    const canChown = await fs.chown(theirs, 65534, 65534).then(() => true, () => false);
    const cases = [tmp.path('link', 'renderd', 'x.sock')];
    await fs.symlink(tmp.path('elsewhere'), tmp.path('link'));
    await fs.mkdir(tmp.path('elsewhere', 'renderd'), { recursive: true });
    if (canChown) cases.push(path.join(theirs, 'renderd', 'x.sock'));
    for (const preferred of cases) {
      const { chosen, warnings } = await choose(preferred);
      try {
        assert.is.not(chosen, preferred);
        assert.is(path.basename(chosen), 'x.sock');
        const folder = await fs.lstat(path.dirname(chosen));
        assert.ok(folder.isDirectory() && (folder.mode & 0o777) === 0o700 && folder.uid === process.getuid!());
        assert.is(warnings.length, 1);
        assert.match(warnings[0], /socket folder .* (is a symbolic link|belongs to uid 65534, not \d+): not used; the socket is in .* instead/);
      } finally {
        await fs.rm(path.dirname(chosen), { recursive: true, force: true });
      }
    }
  });
});

test.run();
