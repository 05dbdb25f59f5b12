// The pixel data of a PNG (its IDAT chunks, inflated): two renders compare equal by pixels even though
// Blender's metadata (file path, date, render time) differs.
import { readFile } from 'node:fs/promises';
import { inflateSync } from 'node:zlib';

export async function readPngPixels(file: string): Promise<Buffer> {
  const bytes = await readFile(file);
  const parts: Buffer[] = [];
  let header = Buffer.alloc(0);
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    const type = bytes.toString('latin1', at + 4, at + 8);
    if (type === 'IHDR') header = bytes.subarray(at + 8, at + 8 + length);
    if (type === 'IDAT') parts.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return Buffer.concat([header, inflateSync(Buffer.concat(parts))]);
}
