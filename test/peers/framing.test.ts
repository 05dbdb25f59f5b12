import { test } from 'uvu';
import * as assert from 'uvu/assert';
import { LineReader, type LineResult } from '../../src/peers/framing.js';

const texts = (results: LineResult[]) => results.map((r) => (r.ok ? r.line.toString('utf8') : `<${r.reason}>`));

test('splits lines, keeps partial ones across chunks, skips empty lines', () => {
  const reader = new LineReader(100);
  assert.equal(texts(reader.push(Buffer.from('one\ntw'))), ['one']);
  assert.equal(texts(reader.push(Buffer.from('o\n\n\nthr'))), ['two']);
  assert.equal(texts(reader.push(Buffer.from('ee'))), []);
  assert.is(reader.bufferedBytes, 5);
  assert.equal(texts(reader.push(Buffer.from('\n'))), ['three']);
});

test('a multi-byte character cut across chunks comes out whole', () => {
  const bytes = Buffer.from('«été» ✓ 🎬\n', 'utf8');
  for (let cut = 1; cut < bytes.length; cut++) {
    const reader = new LineReader(100);
    const lines = [...reader.push(bytes.subarray(0, cut)), ...reader.push(bytes.subarray(cut))];
    assert.equal(texts(lines), ['«été» ✓ 🎬'], `cut at ${cut}`);
  }
});

test('a line at the cap passes; one byte more is oversize, and the reader then stays shut', () => {
  const reader = new LineReader(10);
  assert.equal(texts(reader.push(Buffer.from('0123456789\n'))), ['0123456789']);
  assert.equal(texts(reader.push(Buffer.from('0123456789A\nok\n'))), ['<oversize>']);
  assert.equal(texts(reader.push(Buffer.from('ok\n'))), []);
});

test('oversize is reported as soon as the cap is passed, without waiting for a newline', () => {
  const reader = new LineReader(10);
  assert.equal(texts(reader.push(Buffer.from('01234'))), []);
  assert.equal(texts(reader.push(Buffer.from('567890'))), ['<oversize>']);
});

test('lines before an over-long one are still delivered', () => {
  const reader = new LineReader(4);
  assert.equal(texts(reader.push(Buffer.from('ab\ncd\nefghij'))), ['ab', 'cd', '<oversize>']);
});

test.run();
