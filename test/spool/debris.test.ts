// Crash debris leaves after its grace period; anything younger stays.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { SpoolLayout } from '../../src/spool/layout.js';
import { sweepDebris } from '../../src/spool/debris.js';
import { withTempSpool } from '../support/index.js';

test('old staging folders, trash and quarantine go; fresh ones stay; the sweep says what it removed', async () => {
  await withTempSpool(async (tmp) => {
    const layout = new SpoolLayout(tmp.spool);
    const now = Date.now();
    const make = async (dir: string, name: string, ageMs: number, folder = false) => {
      const entry = path.join(dir, name);
      await fs.mkdir(dir, { recursive: true });
      if (folder) {
        await fs.mkdir(entry);
        await fs.writeFile(path.join(entry, 'job.json'), '{}');
      } else await fs.writeFile(entry, 'x');
      const when = new Date(now - ageMs);
      await fs.utimes(entry, when, when);
    };
    await make(layout.tmp, 'job-old-abc', 48 * 3_600_000, true);
    await make(layout.tmp, 'job-new-abc', 60_000, true);
    await make(layout.trash, 'gone.123', 2 * 3_600_000, true);
    await make(layout.trash, 'going.456', 60_000, true);
    await make(layout.quarantine, 'jobs~a~job.json.1', 40 * 86_400_000);
    await make(layout.quarantine, 'jobs~b~job.json.2', 86_400_000);
    const lines: string[] = [];
    assert.is(await sweepDebris(layout, now, (line) => lines.push(line)), 3);
    assert.equal(await fs.readdir(layout.tmp), ['job-new-abc']);
    assert.equal(await fs.readdir(layout.trash), ['going.456']);
    assert.equal(await fs.readdir(layout.quarantine), ['jobs~b~job.json.2']);
    assert.equal(lines, ['debris: removed 1 entry from tmp/ older than 24h', 'debris: removed 1 entry from trash/ older than 1h', 'debris: removed 1 entry from quarantine/ older than 720h']);
  });
});

test('a spool folder that is a link out of the spool is not swept: the files it points to stay', async () => {
  await withTempSpool(async (tmp) => {
    const layout = new SpoolLayout(tmp.spool);
    const outside = path.join(tmp.dir, 'outside');
    await fs.mkdir(outside);
    await fs.writeFile(path.join(outside, 'precious'), 'x');
    const old = new Date(Date.now() - 90 * 86_400_000);
    await fs.utimes(path.join(outside, 'precious'), old, old);
    await fs.mkdir(path.dirname(layout.trash), { recursive: true });
    await fs.symlink(outside, layout.trash);
    const lines: string[] = [];
    assert.is(await sweepDebris(layout, Date.now(), (l) => lines.push(l)), 0);
    assert.ok(await fs.stat(path.join(outside, 'precious')), 'the file outside the spool is still there');
    assert.match(lines.join('\n'), /trash\/ is a symbolic link: not swept/);
  });
});

test.run();
