// `render inspect` run as a real process: exact text, one JSON document with --json, and exit 2
// with one stderr line for a bad file.
import { execFile } from 'node:child_process';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { readBlendInfo } from '../../src/blend/index.js';
import { FIXTURES_DIR } from '../support/paths.js';

const run = promisify(execFile);
const RENDER = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '../../../bin/render');
const FIXTURES = FIXTURES_DIR;
const CLI_TIMEOUT_MS = 20_000;

async function render(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(process.execPath, [RENDER, ...args], { timeout: CLI_TIMEOUT_MS });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const { code, stdout, stderr } = error as { code: number; stdout: string; stderr: string };
    return { code, stdout, stderr };
  }
}

test('text output: file, version, compression, then one row per scene with the default marked', async () => {
  const file = path.join(FIXTURES, 'assimp_v260_32bit_bigendian_yxa1.blend');
  const { code, stdout, stderr } = await render(['inspect', file]);
  assert.is(code, 0);
  assert.is(stderr, '');
  assert.is(stdout, [
    `file         ${file}`,
    'blender      2.60 (32-bit, big-endian)',
    'compression  none',
    'scenes       1 (* = rendered by default)',
    '',
    '  SCENE  FRAMES  STEP  RESOLUTION      FORMAT  ENGINE          OUTPUT',
    '* Scene  1..250  1     1026x320 @100%  PNG     BLENDER_RENDER  /tmp/',
    '',
  ].join('\n'));
});

test('a file without scenes says so', async () => {
  const { code, stdout } = await render(['inspect', path.join(FIXTURES, 'vrm_v402_userpref_noREND.blend')]);
  assert.is(code, 0);
  assert.match(stdout, /^scenes {7}none$/m);
});

test('--json prints exactly the BlendInfo document', async () => {
  const file = path.join(FIXTURES, 'vrm_v404_zstd_mtoon1.blend');
  const { code, stdout } = await render(['inspect', file, '--json']);
  assert.is(code, 0);
  assert.equal(JSON.parse(stdout), await readBlendInfo(file));
});

test('a missing file exits 2 with one line on stderr naming it', async () => {
  const { code, stdout, stderr } = await render(['inspect', '/nonexistent/shot.blend']);
  assert.is(code, 2);
  assert.is(stdout, '');
  assert.is(stderr, 'render: /nonexistent/shot.blend: does not exist\n');
});

test('a file that is not a .blend exits 2 with one line', async () => {
  const { code, stderr } = await render(['inspect', path.join(FIXTURES, 'MANIFEST.tsv')]);
  assert.is(code, 2);
  assert.is(stderr, `render: ${path.join(FIXTURES, 'MANIFEST.tsv')}: not a .blend file (unknown header/compression)\n`);
});

test.run();
