// Hostile and damaged input to the pure core: every case ends in one InputError line, quickly,
// without allocating what the file merely claims; and decompression bombs given to the real CLI.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBlend } from '../../src/blend/index.js';
import { createInflateBudget } from '../../src/blend/compression.js';
import { InputError } from '../../src/errors.js';
import { buildBlend, writeHead, Writer } from './synthetic.js';
import { pushUint } from './zstd-store.js';
import { writeGzipBomb, writeZstdBomb } from './bombs.js';
import { withTempSpool } from '../support/index.js';
import { measureRender } from '../support/measure.js';

const MIB = 1024 * 1024;

const FILE = 'hostile.blend';
const scene = { name: 'Scene', sfra: 1, efra: 10 };

function expectInputError(run: () => unknown, pattern: RegExp): void {
  try {
    run();
  } catch (error) {
    assert.instance(error, InputError);
    const message = (error as Error).message;
    assert.ok(message.startsWith(`${FILE}: `), `names the file: ${message}`);
    assert.not.ok(message.includes('\n'), 'one line');
    assert.match(message, pattern);
    return;
  }
  assert.unreachable('expected an InputError');
}

/** Header + one block with a made-up length and nothing after it. */
function fileWithHead(code: string, length: number, layout: { pointerSize: 4 | 8; large: boolean }): Uint8Array {
  const out = new Writer(true);
  out.ascii(layout.large ? 'BLENDER17-01v0500' : 'BLENDER-v304');
  writeHead(out, code, length, 0, layout, true);
  out.zeros(64);
  return out.bytes();
}

test('a skipped block claiming 2^31-1 bytes is reported as truncated, not allocated', () => {
  expectInputError(() => parseBlend(fileWithHead('DATA', 2 ** 31 - 1, { pointerSize: 8, large: false }), FILE), /truncated.*'DATA'.*needs 2147483647 bytes/);
});

test('a kept block claiming more than any real one is corrupt', () => {
  expectInputError(() => parseBlend(fileWithHead('SC', 2 ** 31 - 1, { pointerSize: 4, large: false }), FILE), /corrupt.*'SC'.*claims/);
  expectInputError(() => parseBlend(fileWithHead('DNA1', 2 ** 40, { pointerSize: 8, large: true }), FILE), /corrupt.*'DNA1'.*claims/);
});

test('a 64-bit block length beyond what a number holds exactly is corrupt', () => {
  expectInputError(() => parseBlend(fileWithHead('DATA', 2 ** 62, { pointerSize: 8, large: true }), FILE), /corrupt.*negative or huge/);
});

test('a negative legacy block length is corrupt', () => {
  expectInputError(() => parseBlend(fileWithHead('DATA', -5, { pointerSize: 8, large: false }), FILE), /corrupt.*negative/);
});

test('an SDNA whose counts exceed its block is corrupt, not a giant array', () => {
  const bytes = buildBlend([scene], { pointerSize: 8, endian: 'little' });
  const at = Buffer.from(bytes).indexOf('SDNANAME') + 8;
  new DataView(bytes.buffer).setInt32(at, 2 ** 31 - 1, true);
  expectInputError(() => parseBlend(bytes, FILE), /corrupt.*SDNA.*impossible count/);
});

test('an SDNA with a member type index out of range is corrupt', () => {
  const bytes = buildBlend([scene], { pointerSize: 8, endian: 'little' });
  const at = Buffer.from(bytes).indexOf('STRC') + 8; // first struct's type index
  new DataView(bytes.buffer).setUint16(at, 60000, true);
  expectInputError(() => parseBlend(bytes, FILE), /corrupt.*SDNA.*out of range/);
});

test('scenes without a DNA1 block are corrupt', () => {
  const bytes = buildBlend([scene], { pointerSize: 8, endian: 'little' });
  const at = Buffer.from(bytes).lastIndexOf('DNA1');
  bytes.set([0x58, 0x58, 0x58, 0x58], at); // rename the block to XXXX
  expectInputError(() => parseBlend(bytes, FILE), /corrupt.*no DNA1/);
});

test('a zstd frame asking for a 2 TiB window is refused before the decoder allocates it', () => {
  const parts: number[] = [];
  pushUint(parts, 0xfd2fb528, 4);
  parts.push(0x00, 0xf8); // no content size, not single segment; window descriptor: 2^41 bytes
  pushUint(parts, (16 << 3) | 1, 3);
  parts.push(...new Array(16).fill(0));
  const started = performance.now();
  expectInputError(() => parseBlend(Uint8Array.from(parts), FILE), /corrupt.*window/);
  assert.ok(performance.now() - started < 1000);
});

test('zstd data with a bad frame magic after the first frame is corrupt', () => {
  const bytes = Uint8Array.from([0x28, 0xb5, 0x2f, 0xfd, 0xa0, 4, 0, 0, 0, (4 << 3) | 1, 0, 0, 0x42, 0x4c, 0x45, 0x4e, 1, 2, 3, 4]);
  expectInputError(() => parseBlend(bytes, FILE), /corrupt.*zstd/);
});

test('the inflate budget stops a decompression bomb once output passes 256 MiB + 64x the input', () => {
  const spend = createInflateBudget(FILE, 1000);
  spend(256 * 1024 ** 2);
  spend(64 * 1000);
  expectInputError(() => spend(1), /corrupt.*decompresses to over/);
});

// Real processes: `render inspect` on bombs written to disk, its peak memory read by the child itself.
const BOMBS: { label: string; write: (file: string) => unknown; message: RegExp }[] = [
  { label: 'gzip, scene blocks of 30 MiB each (2.7 GB inflated)', write: (f) => writeGzipBomb(f, 'kept', 2700 * MIB), message: /'SC' blocks claim over/ },
  { label: 'gzip, one skipped 2 GiB block of zeros', write: (f) => writeGzipBomb(f, 'skipped', 2700 * MIB), message: /decompresses to over/ },
  { label: 'gzip, millions of empty block heads', write: (f) => writeGzipBomb(f, 'heads', 400 * MIB), message: /decompresses to over/ },
  { label: 'zstd, scene blocks of 30 MiB each (2.7 GB inflated)', write: (f) => writeZstdBomb(f, 'kept', 2700 * MIB), message: /'SC' blocks claim over/ },
  { label: 'zstd, one skipped 2 GiB block of zeros', write: (f) => writeZstdBomb(f, 'skipped', 2700 * MIB), message: /decompresses to over/ },
];

for (const bomb of BOMBS) {
  test(`render inspect on a bomb (${bomb.label}): one line, exit 2, under 200 MB`, async () => {
    await withTempSpool(async (tmp) => {
      const file = tmp.path('bomb.blend');
      bomb.write(file);
      const result = await measureRender(['inspect', file], 120_000);
      assert.is(result.code, 2, result.stderr);
      assert.is(result.stdout, '');
      assert.match(result.stderr, new RegExp(`^render: ${file}: corrupt \\.blend file \\(.*\\)\\n$`));
      assert.match(result.stderr, bomb.message);
      assert.ok(result.peakRssMiB < 200, `peak ${result.peakRssMiB.toFixed(0)} MiB`);
    });
  });
}

test.run();
