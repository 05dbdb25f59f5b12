// Bad files through the I/O edge: each gives an InputError (exit 2 in the CLI) whose one-line
// message names the file and says what is wrong.
import { chmod, copyFile, mkdir, mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { gzipSync } from 'node:zlib';
import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { readBlendInfo } from '../../src/blend/index.js';
import { InputError, isUserError } from '../../src/errors.js';
import { zstdStore } from './zstd-store.js';
import { runRender } from '../support/cli.js';
import { FIXTURES_DIR } from '../support/paths.js';

const FIXTURES = FIXTURES_DIR;
const PLAIN = path.join(FIXTURES, 'gltf_v303_21_scene.blend');
const ZSTD = path.join(FIXTURES, 'vrm_v404_zstd_mtoon1.blend');
const GZIP = path.join(FIXTURES, 'vrm_v293_gzip_minimal.blend');

/** Writes the bad file into `dir` and returns its path. */
type Make = (dir: string) => Promise<string>;

async function writeBytes(dir: string, name: string, bytes: Uint8Array): Promise<string> {
  const file = path.join(dir, name);
  await writeFile(file, bytes);
  return file;
}

function truncatedCopy(source: string, keep: (size: number) => number): (dir: string, name: string) => Promise<string> {
  return async (dir, name) => {
    const bytes = await readFile(source);
    return writeBytes(dir, name, bytes.subarray(0, keep(bytes.length)));
  };
}

const cases: { label: string; make: Make; message: RegExp }[] = [
  { label: 'missing file', make: async (dir) => path.join(dir, 'missing.blend'), message: /does not exist$/ },
  { label: 'empty file', make: (dir) => writeBytes(dir, 'empty.blend', new Uint8Array(0)), message: /not a \.blend file \(empty file\)$/ },
  { label: 'random bytes', make: (dir) => writeBytes(dir, 'random.blend', Uint8Array.from([0x42, 0x00, ...randomBytes(4000)])), message: /not a \.blend file \(unknown header\/compression\)$/ },
  { label: 'unknown magic (a zip)', make: (dir) => writeBytes(dir, 'zip.blend', Uint8Array.from([0x50, 0x4b, 3, 4, ...randomBytes(100)])), message: /not a \.blend file \(unknown header\/compression\)$/ },
  { label: 'a directory', make: async (dir) => { const sub = path.join(dir, 'dir.blend'); await mkdir(sub); return sub; }, message: /is a directory/ },
  { label: 'gzip of random bytes', make: (dir) => writeBytes(dir, 'gzrandom.blend', gzipSync(randomBytes(5000))), message: /not a \.blend file/ },
  { label: 'zstd of random bytes', make: (dir) => writeBytes(dir, 'zstrandom.blend', zstdStore(Uint8Array.from([0x42, 0x00, ...randomBytes(5000)]))), message: /not a \.blend file/ },
  { label: 'corrupt gzip stream', make: async (dir) => { const bytes = await readFile(GZIP); bytes.fill(0x55, 100, 200); return writeBytes(dir, 'badgz.blend', bytes); }, message: /corrupt .*gzip/ },
  { label: 'only the start of the magic', make: (dir) => writeBytes(dir, 'blen.blend', new TextEncoder().encode('BLEND')), message: /truncated/ },
  { label: 'header only', make: (dir) => truncatedCopy(PLAIN, () => 12)(dir, 'header.blend'), message: /truncated/ },
  { label: 'cut inside a block', make: (dir) => truncatedCopy(PLAIN, (size) => Math.floor(size / 2))(dir, 'half.blend'), message: /truncated .*needs \d+ bytes, the file ends after \d+/ },
  { label: 'cut inside the ENDB head', make: (dir) => truncatedCopy(PLAIN, (size) => size - 1)(dir, 'endb.blend'), message: /truncated .*block head at byte \d+ cut/ },
  { label: 'missing ENDB', make: (dir) => truncatedCopy(PLAIN, (size) => size - 24)(dir, 'noendb.blend'), message: /truncated .*no ENDB/ },
  { label: 'truncated zstd copy', make: (dir) => truncatedCopy(ZSTD, (size) => Math.floor(size / 2))(dir, 'half_zstd.blend'), message: /truncated/ },
  { label: 'truncated gzip copy', make: (dir) => truncatedCopy(GZIP, (size) => Math.floor(size / 2))(dir, 'half_gz.blend'), message: /truncated/ },
];

const bad = suite<{ dir: string }>('bad-input', { dir: '' });
bad.before(async (context) => { context.dir = await mkdtemp(path.join(os.tmpdir(), 'renderd-blend-bad-')); });
bad.after(async ({ dir }) => { if (dir) await rm(dir, { recursive: true, force: true }); });

async function expectInputError(file: string, message: RegExp): Promise<void> {
  try {
    await readBlendInfo(file);
  } catch (error) {
    assert.instance(error, InputError);
    assert.ok(isUserError(error), 'the CLI maps it to exit 2');
    const text = (error as Error).message;
    assert.ok(text.startsWith(`${file}: `), `names the file: ${text}`);
    assert.not.ok(text.includes('\n'), `one line: ${text}`);
    assert.match(text, message);
    return;
  }
  assert.unreachable(`${file} should not parse`);
}

for (const { label, make, message } of cases) {
  bad(label, async ({ dir }) => expectInputError(await make(dir), message));
}

bad('unreadable file (no read permission)', async ({ dir }) => {
  const file = path.join(dir, 'secret.blend');
  await copyFile(PLAIN, file);
  await chmod(file, 0o000);
  if (process.getuid?.() !== 0) return expectInputError(file, /permission denied/);
  // root reads any file: as root, the CLI is run as nobody
  await chmod(dir, 0o755);
  const result = await runRender(['inspect', file], { user: { uid: 65534, gid: 65534 } });
  assert.is(result.code, 2, result.stderr);
  assert.is(result.stderr, `render: ${file}: permission denied, cannot read it\n`);
});

bad.run();
