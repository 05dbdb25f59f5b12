import { spawn, spawnSync } from 'node:child_process';
import fs from 'node:fs/promises';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { FarmKeyError, ensureFarmKey, readFarmKey } from '../../src/peers/key.js';
import { makeTempDir, rejection, removeDir, withTimeout } from './helpers.js';

const KEY_MODULE = fileURLToPath(new URL('../../src/peers/key.js', import.meta.url));

async function inTempSpool(fn: (spool: string) => Promise<void>): Promise<void> {
  const dir = await makeTempDir();
  try {
    await fn(path.join(dir, 'spool'));
  } finally {
    await removeDir(dir);
  }
}

test('creates a 32-byte key, mode 0600, and returns the same one afterwards', () => inTempSpool(async (spool) => {
  const key = await ensureFarmKey(spool);
  assert.is(key.length, 32);
  const stat = await fs.stat(path.join(spool, 'farm.key'));
  assert.is((stat.mode & 0o777).toString(8), '600');
  assert.match(await fs.readFile(path.join(spool, 'farm.key'), 'utf8'), /^[0-9a-f]{64}\n$/);
  assert.ok((await ensureFarmKey(spool)).equals(key));
  assert.ok((await readFarmKey(spool)).equals(key));
  assert.equal((await fs.readdir(spool)).filter((name) => name.includes('tmp')), [], 'no temp file left');
}));

test('concurrent ensureFarmKey in two processes ends with one identical key', () => withTimeout(20_000, async () => {
  for (let round = 0; round < 5; round++) {
    await inTempSpool(async (spool) => {
      // Both children wait for the same instant, so their create paths really overlap.
      const script = `import(${JSON.stringify(KEY_MODULE)}).then((m) => setTimeout(async () => process.stdout.write((await m.ensureFarmKey(process.argv[1])).toString('hex')), Number(process.argv[2]) - Date.now()))`;
      const startAtMs = String(Date.now() + 500);
      const outputs = await Promise.all([0, 1].map(() => runNode(['-e', script, spool, startAtMs])));
      const onDisk = (await readFarmKey(spool)).toString('hex');
      assert.equal(outputs, [onDisk, onDisk], `round ${round}`);
    });
  }
}));

test('a key file that is unsafe or malformed is a clear FarmKeyError and is never overwritten', () => inTempSpool(async (spool) => {
  await fs.mkdir(spool);
  const file = path.join(spool, 'farm.key');
  const good = 'ab'.repeat(32) + '\n';
  const table: [string, string, number, RegExp][] = [
    ['too short', 'ab'.repeat(31) + '\n', 0o600, /64 hex digits/],
    ['too long', 'ab'.repeat(33) + '\n', 0o600, /64 hex digits/],
    ['not hex', 'zz'.repeat(32) + '\n', 0o600, /64 hex digits/],
    ['group-writable', good, 0o620, /writable by group or others \(mode 0620\)/],
    ['world-writable', good, 0o602, /writable by group or others/],
    ['world-readable', good, 0o604, /readable by every user/],
  ];
  for (const [what, content, mode, message] of table) {
    await fs.writeFile(file, content);
    await fs.chmod(file, mode);
    for (const call of [ensureFarmKey, readFarmKey]) {
      const error = await rejection(call(spool));
      assert.instance(error, FarmKeyError, what);
      assert.match((error as Error).message, message, what);
      assert.match((error as Error).message, file, `${what}: names the file`);
    }
    assert.is(await fs.readFile(file, 'utf8'), content, `${what}: left as it was`);
  }
  await fs.chmod(file, 0o640);
  await fs.writeFile(file, good);
  assert.is((await readFarmKey(spool)).toString('hex'), 'ab'.repeat(32), 'group-readable (a farm group) is fine');
}));

test('a symlinked key file is refused', () => inTempSpool(async (spool) => {
  await fs.mkdir(spool);
  const elsewhere = path.join(path.dirname(spool), 'elsewhere.key');
  await fs.writeFile(elsewhere, 'ab'.repeat(32), { mode: 0o600 });
  await fs.symlink(elsewhere, path.join(spool, 'farm.key'));
  assert.match(String(await rejection(ensureFarmKey(spool))), /symbolic link/);
}));

test('a spool this user cannot write is a FarmKeyError, not a raw errno', () => inTempSpool(async (spool) => {
  await fs.mkdir(spool, { mode: 0o500 });
  try {
    // root writes anywhere: as root the same call runs as nobody, in a child
    if (process.getuid?.() === 0) return assertRefusedAsNobody(spool);
    const error = await rejection(ensureFarmKey(spool));
    assert.instance(error, FarmKeyError);
    assert.match(String(error), /cannot be created/);
  } finally {
    await fs.chmod(spool, 0o700);
  }
}));

/** ensureFarmKey(spool) run as nobody: it fails with a FarmKeyError saying the key cannot be created. */
async function assertRefusedAsNobody(spool: string): Promise<void> {
  await fs.chmod(path.dirname(spool), 0o755);
  await fs.chmod(spool, 0o555); // root's: nobody may look in, not write
  const script = `import(${JSON.stringify(KEY_MODULE)}).then((m) => m.ensureFarmKey(${JSON.stringify(spool)}).then(() => console.log('created'), (e) => console.log(String(e instanceof m.FarmKeyError), e.message)))`;
  const child = spawnSync(process.execPath, ['-e', script], { uid: 65534, gid: 65534, encoding: 'utf8', timeout: 30_000 });
  assert.match(child.stdout, /^true .*cannot be created/, child.stdout + child.stderr);
}

test('a missing key is a clear error for readFarmKey', () => inTempSpool(async (spool) => {
  assert.match(String(await rejection(readFarmKey(spool))), /no farm key/);
}));

function runNode(args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    child.stderr.on('data', (chunk) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => (code === 0 ? resolve(stdout) : reject(new Error(`child exited ${code}: ${stderr}`))));
  });
}

test.run();
