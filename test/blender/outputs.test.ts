import { suite } from 'uvu';
import * as assert from 'uvu/assert';
import { expectedOutputPath, formatArgument, isMovieFormat, normalizeOutputFormat } from '../../src/blender/index.js';
import { UsageError } from '../../src/errors.js';
import { BLEND, OUTPUT_CASES } from './output-cases.js';

const paths = suite('expectedOutputPath');
for (const [pattern, frame, format, expected] of OUTPUT_CASES) {
  paths(`${pattern} frame ${frame} ${format || '(scene format)'} → ${expected}`, () => {
    assert.is(expectedOutputPath(pattern, frame, format, BLEND), expected);
  });
}
paths('a null format is the scene\'s own', () => {
  assert.is(expectedOutputPath('//f_##', 2, null, BLEND), '/tmp/bx/f_02');
});
paths('an empty pattern, a fractional frame or an unknown format is an error naming it', () => {
  assert.throws(() => expectedOutputPath('', 1, 'PNG', BLEND), /output pattern is empty/);
  assert.throws(() => expectedOutputPath('//f_##', 1.5, 'PNG', BLEND), /frame must be an integer, got 1.5/);
  assert.throws(() => expectedOutputPath('//f_##', 1, 'GIF', BLEND), (error: unknown) =>
    error instanceof UsageError && /output format 'GIF' is not one Blender writes/.test(error.message));
});
paths.run();

const formats = suite('formats');
formats('normalizeOutputFormat maps -F names and case to the scene enum name', () => {
  assert.is(normalizeOutputFormat('tga'), 'TARGA');
  assert.is(normalizeOutputFormat('RAWTGA'), 'TARGA_RAW');
  assert.is(normalizeOutputFormat('JP2'), 'JPEG2000');
  assert.is(normalizeOutputFormat('EXR'), 'OPEN_EXR');
  assert.is(normalizeOutputFormat(' open_exr '), 'OPEN_EXR');
  assert.is(normalizeOutputFormat(undefined), '');
});
formats('formatArgument gives the names Blender 3.4 -F accepts (it rejects TARGA)', () => {
  assert.is(formatArgument('TARGA'), 'TGA');
  assert.is(formatArgument('TARGA_RAW'), 'RAWTGA');
  assert.is(formatArgument('JPEG2000'), 'JP2');
  assert.is(formatArgument('OPEN_EXR'), 'OPEN_EXR');
  assert.is(formatArgument('png'), 'PNG');
});
formats('isMovieFormat', () => {
  assert.ok(isMovieFormat('FFMPEG'));
  assert.not.ok(isMovieFormat('PNG'));
  assert.not.ok(isMovieFormat(''));
});
formats.run();
