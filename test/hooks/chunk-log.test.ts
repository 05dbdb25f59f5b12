// A chunk's log: appended line by line; a log that cannot be opened or written is reported once and
// never throws into the chunk.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { ChunkLog } from '../../src/hooks/chunk-log.js';

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

test.run();
