// `render … | head -1`: a reader that goes away after the first line must not make `render` die with an
// EPIPE stack trace. The real binary in a real shell pipeline, on a spool big enough that the output
// cannot fit in the pipe: `render` is still writing when `head` exits, every time.
import fs from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { Job, Spool } from '../../src/index.js';
import { RENDER_BIN, withTempSpool, withTimeout } from '../support/index.js';

const TEST_TIMEOUT_MS = 120_000;
const JOBS = 400;
const LOG_LINES = 200_000;

/** `render ARGS | head -1` in bash: render's exit status and stderr, and what head printed. */
function headOne(args: string[]): { code: number; stderr: string; first: string } {
  const quoted = [process.execPath, RENDER_BIN, ...args].map((a) => `'${a.replace(/'/g, `'\\''`)}'`).join(' ');
  const script = `${quoted} 2>"$ERR" | head -1; echo "status \${PIPESTATUS[0]}" >&2`;
  const err = path.join(path.dirname(args[1]), `stderr-${process.hrtime.bigint()}`);
  const result = spawnSync('bash', ['-c', script], { encoding: 'utf8', env: { ...process.env, ERR: err }, timeout: TEST_TIMEOUT_MS });
  const code = Number(/status (\d+)/.exec(result.stderr)?.[1] ?? -1);
  return { code, stderr: fs.readFileSync(err, 'utf8'), first: result.stdout };
}

test('render log and render list --json piped into head -1 end quietly', async () => {
  await withTimeout(TEST_TIMEOUT_MS, 'closed reader', () => withTempSpool(async (tmp) => {
    const spool = await Spool.open(tmp.spool);
    const jobs = await spool.submit(Array.from({ length: JOBS }, (_, i) => Job.exec(['true'], { name: `job-${i}` })), { cwd: tmp.dir });
    // a chunk log of several MB, written where a node writes it
    const logs = path.join(tmp.spool, 'jobs', jobs[0].id, 'logs');
    fs.mkdirSync(logs, { recursive: true });
    fs.writeFileSync(path.join(logs, '0001.1.log'), Array.from({ length: LOG_LINES }, (_, i) => `Fra:1 line ${i}\n`).join(''));

    const log = headOne(['--spool', tmp.spool, 'log', jobs[0].id, '1']);
    assert.is(log.first, '==> chunk 0001, attempt 1 <==\n');
    assert.is(log.stderr, '', 'nothing on stderr');
    assert.is(log.code, 0);

    const list = headOne(['--spool', tmp.spool, 'list', '--json']);
    assert.ok(list.first.length > 0, 'the first line of the listing');
    assert.is(list.stderr, '', 'nothing on stderr');
    assert.is(list.code, 0);
  }));
});

test.run();
