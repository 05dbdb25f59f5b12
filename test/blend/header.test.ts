// The file header, legacy and large, as a table: what each decodes to or why it is refused.
import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { parseBlendHeader } from '../../src/blend/header.js';
import { InputError } from '../../src/errors.js';

const ascii = (text: string) => new TextEncoder().encode(text);

const valid: [string, object][] = [
  ['BLENDER_v248', { version: '2.48', versionNumber: 248, pointerSize: 4, endian: 'little', headerFormat: 'legacy', size: 12 }],
  ['BLENDER_V260', { version: '2.60', versionNumber: 260, pointerSize: 4, endian: 'big', headerFormat: 'legacy', size: 12 }],
  ['BLENDER-v304', { version: '3.4', versionNumber: 304, pointerSize: 8, endian: 'little', headerFormat: 'legacy', size: 12 }],
  ['BLENDER-v405', { version: '4.5', versionNumber: 405, pointerSize: 8, endian: 'little', headerFormat: 'legacy', size: 12 }],
  ['BLENDER17-01v0500', { version: '5.0', versionNumber: 500, pointerSize: 8, endian: 'little', headerFormat: 'large', size: 17 }],
  ['BLENDER17-01v0503', { version: '5.3', versionNumber: 503, pointerSize: 8, endian: 'little', headerFormat: 'large', size: 17 }],
];

for (const [text, expected] of valid) {
  test(`header ${text}`, () => {
    // followed by the start of a block head, as in a real file
    assert.equal(parseBlendHeader(ascii(text + 'REND\0\0'), 'f.blend'), expected);
  });
}

const refused: [string, RegExp][] = [
  ['NOTBLEND-v304', /not a \.blend file \(unknown header\/compression\)/],
  ['BLENDER-x304', /not a \.blend file \(bad header 'BLENDER-x304'\)/],
  ['BLENDER-v3a4', /not a \.blend file \(bad header/],
  ['BLENDER17-02v0500', /unsupported header format 'BLENDER17-02v0500'/],
  ['BLENDER17-01v05', /truncated/],
  ['BLEN', /truncated/],
];

for (const [text, message] of refused) {
  test(`header ${JSON.stringify(text)} is refused`, () => {
    try {
      parseBlendHeader(ascii(text), 'f.blend');
      assert.unreachable();
    } catch (error) {
      assert.instance(error, InputError);
      assert.match((error as Error).message, /^f\.blend: /);
      assert.match((error as Error).message, message);
    }
  });
}

test.run();
