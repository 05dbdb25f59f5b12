// A chunk's log: appended line by line; a log that cannot be opened or written is reported once and
// never throws into the chunk.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChunkLog } from '../../src/hooks/chunk-log.js';
import { LineSplitter } from '../../src/hooks/line-splitter.js';

test('lines are appended to what the file held', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'renderd-chunk-log-'));
  try {
    const file = path.join(dir, '0001.1.log');
    await fs.writeFile(file, 'before\n');
    const log = new ChunkLog(file);
    log.write('one\n');
    log.write('two\n');
    log.close();
    log.write('after close is dropped\n');
    assert.is(await fs.readFile(file, 'utf8'), 'before\none\ntwo\n');
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('a log that cannot be opened is reported once, and writes to it do nothing', () => {
  const warnings: string[] = [];
  const file = path.join(os.tmpdir(), 'renderd-no-such-dir', 'x', '0001.1.log');
  const log = new ChunkLog(file, (text) => warnings.push(text));
  log.write('lost\n');
  log.write('lost too\n');
  log.close();
  assert.is(warnings.length, 1);
  assert.match(warnings[0], /cannot open the chunk log .*0001\.1\.log: ENOENT/);
});

test('a log over its cap keeps its head and its tail, and says how much was cut between them', async () => {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'renderd-chunk-log-'));
  try {
    const file = path.join(dir, '0001.1.log');
    const log = new ChunkLog(file, () => {}, 100, 50);
    for (let i = 0; i < 100; i++) log.write(`line ${String(i).padStart(3, '0')}\n`); // 9 bytes each
    log.close();
    const text = await fs.readFile(file, 'utf8');
    const lines = text.trim().split('\n');
    assert.equal(lines.slice(0, 12), Array.from({ length: 12 }, (_, i) => `line ${String(i).padStart(3, '0')}`), 'the head, whole');
    assert.is(lines.at(-1), 'line 099', 'the tail ends with the last line');
    assert.match(text, /\[renderd\] \d+ bytes of output cut here: a chunk log keeps its first 100 and last 50 bytes/);
    assert.ok(Buffer.byteLength(text) < 100 + 50 + 9 + 120, `${Buffer.byteLength(text)} bytes`);
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
});

test('a line without a newline is passed on in bounded pieces, each marked as cut', () => {
  const lines: string[] = [];
  const splitter = new LineSplitter((line) => lines.push(line), 10);
  for (let i = 0; i < 5; i++) splitter.push(Buffer.from('abcdefgh'));
  splitter.push(Buffer.from('xy\nshort\n'));
  splitter.end();
  assert.ok(lines.every((l) => l.replace(/ \[renderd: line cut at 10 characters\]$/, '').length <= 10));
  assert.is(lines.map((l) => l.replace(/ \[renderd: line cut at 10 characters\]$/, '')).join(''), 'abcdefgh'.repeat(5) + 'xy' + 'short');
  assert.is(lines.at(-1), 'short');
});

test.run();
