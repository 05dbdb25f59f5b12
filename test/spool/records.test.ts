// Record validators and guarded reads: hostile or broken spool files are SpoolFormatErrors naming the file.
import fs from 'node:fs/promises';
import path from 'node:path';
import { constants } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseChunkRecord, parseControlRecord, parseJobRecord, parseNodeRecord, serialize, readInfoFile, isSafeName, MAX_INFO_FILE_BYTES_FOR_TEST } from './records-fixtures.js';
import { SpoolFormatError } from '../../src/errors.js';
import { withTempSpool, withTimeout } from '../support/index.js';

const FILE = '/spool/jobs/j/queued/0001.json';

const CHUNK = { v: 1, job: 'job1', id: '0001', frames: [1, 2, 3], state: 'queued', rev: 0, attempt: 0, failures: 0, history: [] };
const JOB = {
  v: 1, id: 'job1', name: 'shot 10', owner: 'me', kind: 'exec', createdAt: '2030-01-01T00:00:00Z', host: 'h', cwd: '/tmp',
  command: ['echo', 'hi'], frames: '1-3', chunkSize: 1, chunks: 3, priority: 0, after: [], retries: 2, noOverwrite: false, paused: false,
};
const NODE = {
  v: 1, name: 'n1', instance: 'i', host: 'h', bootId: 'b', pidns: 'p', pid: 1, startedAt: 's', beat: 1, state: 'running',
  slots: 1, tags: [], running: [], updatedAt: 'u',
};

type Parser = (text: string, file: string) => unknown;

function rejects(parse: Parser, value: unknown, pattern: RegExp, file = FILE): void {
  const text = typeof value === 'string' ? value : JSON.stringify(value);
  try {
    parse(text, file);
  } catch (error) {
    assert.instance(error, SpoolFormatError);
    assert.is((error as SpoolFormatError).file, file);
    assert.ok((error as Error).message.startsWith(`${file}: `), `message names the file: ${(error as Error).message}`);
    assert.match((error as Error).message, pattern);
    return;
  }
  assert.unreachable(`accepted ${text.slice(0, 200)}`);
}

test('valid records parse and survive serialize → parse', () => {
  for (const [parse, record] of [[parseChunkRecord, CHUNK], [parseJobRecord, JOB], [parseNodeRecord, NODE], [parseControlRecord, { v: 1, state: 'paused' }]] as const) {
    const parsed = (parse as Parser)(JSON.stringify(record), FILE);
    assert.equal(parsed, record);
    assert.equal((parse as Parser)(serialize(parsed), FILE), record);
  }
});

test('unknown fields from a newer writer are kept; null optionals dropped', () => {
  const parsed = parseChunkRecord(JSON.stringify({ ...CHUNK, newField: 7, token: null }), FILE) as unknown as Record<string, unknown>;
  assert.is(parsed.newField, 7);
  assert.ok(!('token' in parsed));
});

const long = (n: number) => 'x'.repeat(n);

const CHUNK_BAD: [string, unknown, RegExp][] = [
  ['not JSON', '{"v":1,', /is not valid JSON/],
  ['empty file', '', /is not valid JSON/],
  ['an array', [CHUNK], /expected an object, got array/],
  ['null', null, /expected an object, got null/],
  ['a string', 'x', /is not valid JSON/],
  ['wrong version', { ...CHUNK, v: 2 }, /v: expected one of 1/],
  ['version as string', { ...CHUNK, v: '1' }, /v: expected one of 1/],
  ['frames a string', { ...CHUNK, frames: '1-3' }, /frames: expected an array, got string/],
  ['a frame a string', { ...CHUNK, frames: [1, '2'] }, /frames\[1\]: expected an integer, got string/],
  ['a frame fractional', { ...CHUNK, frames: [1.5] }, /frames\[0\]: expected an integer/],
  ['a frame beyond safe integers', { ...CHUNK, frames: [2 ** 60] }, /frames\[0\]: expected an integer/],
  ['rev a string', { ...CHUNK, rev: '0' }, /rev: expected an integer, got string/],
  ['attempt missing', { ...CHUNK, attempt: undefined }, /attempt: expected an integer, got undefined/],
  ['unknown state', { ...CHUNK, state: 'exploded' }, /state: expected one of queued, running, done, failed/],
  ['history an object', { ...CHUNK, history: {} }, /history: expected an array, got object/],
  ['history entry with a bad outcome', { ...CHUNK, history: [{ attempt: 1, node: 'n', outcome: 'won' }] }, /history\[0\]\.outcome/],
  ['holder with pid a string', { ...CHUNK, holder: { node: 'n', instance: 'i', host: 'h', bootId: 'b', pidns: 'p', pid: '1' } }, /holder\.pid: expected an integer/],
  ['holder with a path as node', { ...CHUNK, holder: { node: '../n', instance: 'i', host: 'h', bootId: 'b', pidns: 'p', pid: 1 } }, /holder\.node: expected a safe name/],
  ['token a number', { ...CHUNK, token: 5 }, /token: expected a string, got number/],
  ['progress.sample wrong', { ...CHUNK, progress: { sample: { done: 'a', total: 1 } } }, /progress\.sample\.done/],
  // names used as file names
  ['id ../x', { ...CHUNK, id: '../x' }, /id: expected a safe name/],
  ['id ..', { ...CHUNK, id: '..' }, /id: expected a safe name/],
  ['id with a slash', { ...CHUNK, id: 'a/b' }, /id: expected a safe name/],
  ['id absolute', { ...CHUNK, id: '/etc/passwd' }, /id: expected a safe name/],
  ['job ../../etc', { ...CHUNK, job: '../../etc' }, /job: expected a safe name/],
  ['id hidden', { ...CHUNK, id: '.hidden' }, /id: expected a safe name/],
  ['id empty', { ...CHUNK, id: '' }, /id: expected a safe name/],
  ['id too long', { ...CHUNK, id: long(129) }, /id: expected a safe name/],
  // huge
  ['error too long', { ...CHUNK, error: long(2001) }, /error: longer than 2000 characters/],
  ['token too long', { ...CHUNK, token: long(65) }, /token: longer than 64/],
  ['history too long', { ...CHUNK, history: Array.from({ length: 1001 }, (_, i) => ({ attempt: i, node: 'n', outcome: 'lost' })) }, /history: more than 1000 entries/],
];

for (const [name, value, pattern] of CHUNK_BAD) {
  test(`chunk record rejected: ${name}`, () => rejects(parseChunkRecord, value, pattern));
}

const JOB_BAD: [string, unknown, RegExp][] = [
  ['kind unknown', { ...JOB, kind: 'shell' }, /kind: expected one of blender, exec/],
  ['command a string', { ...JOB, command: 'rm -rf /' }, /command: expected an array, got string/],
  ['command with a number', { ...JOB, command: ['echo', 1] }, /command\[1\]: expected a string/],
  ['priority a string', { ...JOB, priority: 'high' }, /priority: expected an integer/],
  ['paused a string', { ...JOB, paused: 'yes' }, /paused: expected true or false, got string/],
  ['after with ../', { ...JOB, after: ['../other'] }, /after\[0\]: expected a safe name/],
  ['id ../', { ...JOB, id: '../../x' }, /id: expected a safe name/],
  ['name too long', { ...JOB, name: long(257) }, /name: longer than 256/],
  ['tags too many', { ...JOB, tags: Array.from({ length: 65 }, () => 't') }, /tags: more than 64 entries/],
  ['timeoutMs fractional', { ...JOB, timeoutMs: 1.5 }, /timeoutMs: expected an integer/],
];

for (const [name, value, pattern] of JOB_BAD) {
  test(`job record rejected: ${name}`, () => rejects(parseJobRecord, value, pattern));
}

const NODE_BAD: [string, unknown, RegExp][] = [
  ['name ../', { ...NODE, name: '../n' }, /name: expected a safe name/],
  ['beat a string', { ...NODE, beat: '1' }, /beat: expected an integer/],
  ['state unknown', { ...NODE, state: 'dead' }, /state: expected one of running, paused, draining, stopping/],
  ['running entry with a bad job', { ...NODE, running: [{ job: '../j', chunk: 'c', token: 't', attempt: 1, startedAt: 's' }] }, /running\[0\]\.job/],
  ['address port a string', { ...NODE, address: { host: 'h', port: '80' } }, /address\.port: expected an integer/],
];

for (const [name, value, pattern] of NODE_BAD) {
  test(`node record rejected: ${name}`, () => rejects(parseNodeRecord, value, pattern));
}

test('control record rejected: unknown state', () => rejects(parseControlRecord, { v: 1, state: 'explode' }, /state: expected one of running, paused, draining/));

const NAMES: [string, boolean][] = [
  ['job1', true], ['0001', true], ['a.b-c_d', true], ['..', false], ['../x', false], ['a..b', false], ['.x', false],
  ['-x', false], ['a/b', false], ['', false], [long(128), true], [long(129), false], ['é', false], ['a b', false],
];

for (const [name, safe] of NAMES) {
  test(`isSafeName(${JSON.stringify(name.length > 20 ? `${name.length} chars` : name)}) = ${safe}`, () => {
    assert.is(isSafeName(name), safe);
  });
}

test('readInfoFile: reads a small regular file', async () => {
  await withTempSpool(async (tmp) => {
    await fs.writeFile(tmp.path('a.json'), '{"x":1}');
    assert.is(await readInfoFile(tmp.path('a.json')), '{"x":1}');
  });
});

test('readInfoFile: files read without a stat first — larger than its buffer, empty, then small again — come back whole', async () => {
  await withTempSpool(async (tmp) => {
    const big = JSON.stringify({ names: Array.from({ length: 20_000 }, (_, i) => `n${i}`) });
    await fs.writeFile(tmp.path('big.json'), big);
    await fs.writeFile(tmp.path('empty.json'), '');
    await fs.writeFile(tmp.path('small.json'), '{"y":2}');
    assert.is(await readInfoFile(tmp.path('big.json')), big);
    assert.is(await readInfoFile(tmp.path('empty.json')), '');
    assert.is(await readInfoFile(tmp.path('small.json')), '{"y":2}');
  });
});

test('readInfoFile: a character device (endless or empty) is not a regular file', async () => {
  await withTempSpool(async (tmp) => {
    for (const [name, minor] of [['zero.json', '5'], ['null.json', '3']]) {
      // root only: where mknod is refused, the case cannot be built here
      try { execFileSync('mknod', [tmp.path(name), 'c', '1', minor], { stdio: 'ignore' }); } catch { return; }
      const error = await readInfoFile(tmp.path(name)).catch((e: unknown) => e);
      assert.instance(error, SpoolFormatError, String(error));
      assert.match((error as Error).message, /is not a regular file/);
    }
  });
});

test('readInfoFile: a symlink (here, out of the spool) is refused, not followed', async () => {
  await withTempSpool(async (tmp) => {
    await fs.writeFile(tmp.path('outside.json'), JSON.stringify(CHUNK));
    await fs.mkdir(tmp.path('spool'));
    const link = tmp.path('spool', '0001.json');
    await fs.symlink(tmp.path('outside.json'), link);
    const error = await readInfoFile(link).catch((e: unknown) => e);
    assert.instance(error, SpoolFormatError);
    assert.is((error as SpoolFormatError).file, link);
    assert.match((error as Error).message, /is a symbolic link/);
  });
});

test('readInfoFile: a dangling symlink is refused too (not reported as missing)', async () => {
  await withTempSpool(async (tmp) => {
    const link = tmp.path('x.json');
    await fs.symlink('/nonexistent/target', link);
    const error = await readInfoFile(link).catch((e: unknown) => e);
    assert.instance(error, SpoolFormatError);
  });
});

test('readInfoFile: a directory is not a regular file', async () => {
  await withTempSpool(async (tmp) => {
    await fs.mkdir(tmp.path('d.json'));
    const error = await readInfoFile(tmp.path('d.json')).catch((e: unknown) => e);
    assert.instance(error, SpoolFormatError);
    assert.match((error as Error).message, /is not a regular file/);
  });
});

// Regression (found by this suite, fixed in 2f85147): opened without O_NONBLOCK, a FIFO named like an
// info file blocked the open until someone wrote it — for ever, on a hostile spool — and the node's loop with it.
test('readInfoFile: a FIFO is refused at once, without waiting for a writer', async () => {
  await withTempSpool(async (tmp) => {
    const fifo = tmp.path('f.json');
    execFileSync('mkfifo', [fifo]);
    try {
      const error = await withTimeout(2000, 'readInfoFile on a FIFO', () => readInfoFile(fifo)).catch((e: unknown) => e);
      assert.instance(error, SpoolFormatError, String(error));
      assert.match((error as Error).message, /is not a regular file/);
    } finally {
      // unblock an open() stuck on the FIFO, so the test process can exit
      const writer = await fs.open(fifo, constants.O_WRONLY | constants.O_NONBLOCK).catch(() => null);
      await writer?.close();
    }
  });
});

test('readInfoFile: over the size limit is refused, naming the limit', async () => {
  await withTempSpool(async (tmp) => {
    const file = tmp.path('big.json');
    await fs.writeFile(file, Buffer.alloc(MAX_INFO_FILE_BYTES_FOR_TEST + 1, 0x20));
    const error = await readInfoFile(file).catch((e: unknown) => e);
    assert.instance(error, SpoolFormatError);
    assert.match((error as Error).message, new RegExp(`over the ${MAX_INFO_FILE_BYTES_FOR_TEST}-byte limit`));
    // exactly at the limit is fine
    await fs.truncate(file, MAX_INFO_FILE_BYTES_FOR_TEST);
    assert.is((await readInfoFile(file)).length, MAX_INFO_FILE_BYTES_FOR_TEST);
    assert.is((await readInfoFile(file, 10).catch((e: Error) => e.message)), `${file}: is ${MAX_INFO_FILE_BYTES_FOR_TEST} bytes, over the 10-byte limit`);
  });
});

test('readInfoFile: a missing file is an ENOENT, not a format error', async () => {
  const error = await readInfoFile(path.join('/nonexistent', 'x.json')).catch((e: unknown) => e);
  assert.is((error as NodeJS.ErrnoException).code, 'ENOENT');
});

test.run();
