// quarantineFile and writeFileAtomic on a real temp spool.
import fs from 'node:fs/promises';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { openSpool, quarantineFile, writeFileAtomic } from '../../src/spool/index.js';
import { withTempSpool } from '../support/index.js';

test('quarantineFile moves the file aside, keeps where it came from, logs one line naming it', async () => {
  await withTempSpool(async (tmp) => {
    const layout = await openSpool(tmp.spool);
    const file = path.join(layout.jobs, 'j1', 'queued', '0001.json');
    await fs.mkdir(path.dirname(file), { recursive: true });
    await fs.writeFile(file, '{bad');
    const lines: string[] = [];
    const target = await quarantineFile(layout, file, 'is not valid JSON', (l) => lines.push(l));
    assert.ok(target && target.startsWith(layout.quarantine + path.sep));
    assert.match(path.basename(target!), /^jobs~j1~queued~0001\.json\.\d+\.[0-9a-f]{4}$/);
    assert.is(await fs.readFile(target!, 'utf8'), '{bad');
    assert.is(await fs.stat(file).catch(() => null), null, "gone from its place");
    assert.is(lines.length, 1);
    assert.match(lines[0], /^quarantined jobs\/j1\/queued\/0001\.json: is not valid JSON \(moved to quarantine\//);
  });
});

test('quarantineFile moves a symlink itself, never what it points at', async () => {
  await withTempSpool(async (tmp) => {
    const layout = await openSpool(tmp.spool);
    const outside = tmp.path('outside.txt');
    await fs.writeFile(outside, 'precious');
    const link = path.join(layout.nodes, 'evil.json');
    await fs.symlink(outside, link);
    const target = await quarantineFile(layout, link, 'is a symbolic link', () => undefined);
    assert.ok((await fs.lstat(target!)).isSymbolicLink());
    assert.is(await fs.readFile(outside, 'utf8'), 'precious');
  });
});

test('quarantineFile of a file already gone (another node was first) returns null and logs nothing', async () => {
  await withTempSpool(async (tmp) => {
    const layout = await openSpool(tmp.spool);
    const lines: string[] = [];
    assert.is(await quarantineFile(layout, path.join(layout.nodes, 'gone.json'), 'x', (l) => lines.push(l)), null);
    assert.equal(lines, []);
  });
});

test('writeFileAtomic replaces the whole file and leaves no temp file behind', async () => {
  await withTempSpool(async (tmp) => {
    await fs.mkdir(tmp.spool);
    const file = path.join(tmp.spool, 'x.json');
    await writeFileAtomic(file, 'one');
    await writeFileAtomic(file, 'two, longer');
    assert.is(await fs.readFile(file, 'utf8'), 'two, longer');
    assert.equal(await fs.readdir(tmp.spool), ['x.json']);
  });
});

test('a reader racing many atomic rewrites only ever sees whole files', async () => {
  await withTempSpool(async (tmp) => {
    await fs.mkdir(tmp.spool);
    const file = path.join(tmp.spool, 'x.json');
    const versions = Array.from({ length: 200 }, (_, i) => JSON.stringify({ i, pad: 'p'.repeat(i * 50) }));
    await writeFileAtomic(file, versions[0]);
    const seen = new Set<string>();
    let writing = true;
    const reader = (async () => {
      while (writing) seen.add(await fs.readFile(file, 'utf8'));
    })();
    for (const v of versions) await writeFileAtomic(file, v);
    writing = false;
    await reader;
    for (const text of seen) assert.ok(versions.includes(text), `half-written content seen: ${text.slice(0, 60)}…`);
  });
});

test('openSpool creates the layout once and refuses a folder that is another program\'s', async () => {
  await withTempSpool(async (tmp) => {
    const layout = await openSpool(tmp.spool);
    for (const dir of ['active', 'jobs', 'nodes', 'control', 'quarantine', 'tmp', 'trash']) assert.ok((await fs.stat(path.join(tmp.spool, dir))).isDirectory(), dir);
    await openSpool(tmp.spool);
    await fs.writeFile(layout.formatFile, JSON.stringify({ format: 'something-else' }));
    const error = await openSpool(tmp.spool).catch((e: Error) => e);
    assert.match(String((error as Error).message), /is not a renderd spool/);
  });
});

test.run();
