// What a rendered frame is, for comparing a warm render with a cold one: its kind, its channels with their
// depth, and its pixels — without the metadata Blender stamps (render time, date), which differs per run.
import fs from 'node:fs';
import zlib from 'node:zlib';
import { createHash } from 'node:crypto';
import sharp from 'sharp';

export interface ImageFacts {
  kind: 'PNG' | 'JPEG' | 'EXR';
  /** PNG/JPEG: `RGBA 8`; EXR: each channel with its type, `R:HALF G:HALF …`. */
  channels: string;
  /** A hash of the pixel data as stored (EXR: compressed blocks; PNG: the inflated scanlines). */
  pixels: string;
}

const hash = (data: Buffer) => createHash('sha256').update(data).digest('hex').slice(0, 16);

export async function imageFacts(file: string): Promise<ImageFacts> {
  const bytes = fs.readFileSync(file);
  if (bytes.readUInt32BE(0) === 0x89504e47) return pngFacts(bytes);
  if (bytes.readUInt32LE(0) === 20000630) return exrFacts(bytes);
  if (bytes.readUInt16BE(0) === 0xffd8) {
    const { channels, depth } = await sharp(bytes).metadata();
    return { kind: 'JPEG', channels: `${channels} ${depth}`, pixels: hash(await sharp(bytes).raw().toBuffer()) };
  }
  throw new Error(`${file}: not a PNG, JPEG or OpenEXR file`);
}

/** PNG: IHDR's bit depth and colour type; the IDAT data inflated (tEXt metadata left out). */
function pngFacts(bytes: Buffer): ImageFacts {
  const depth = bytes[24];
  const colour = ({ 0: 'BW', 2: 'RGB', 4: 'BWA', 6: 'RGBA' } as Record<number, string>)[bytes[25]] ?? `type${bytes[25]}`;
  const parts: Buffer[] = [];
  for (let at = 8; at < bytes.length;) {
    const length = bytes.readUInt32BE(at);
    if (bytes.toString('latin1', at + 4, at + 8) === 'IDAT') parts.push(bytes.subarray(at + 8, at + 8 + length));
    at += 12 + length;
  }
  return { kind: 'PNG', channels: `${colour} ${depth}`, pixels: hash(zlib.inflateSync(Buffer.concat(parts))) };
}

/** OpenEXR (single part, scanlines): the channel list and compression from the header; the blocks after the offset table. */
function exrFacts(bytes: Buffer): ImageFacts {
  let pos = 8;
  const cString = () => { const end = bytes.indexOf(0, pos); const text = bytes.toString('latin1', pos, end); pos = end + 1; return text; };
  let channels = '';
  let compression = -1;
  for (;;) {
    const name = cString();
    if (name === '') break;
    cString();
    const size = bytes.readInt32LE(pos);
    const value = bytes.subarray(pos + 4, pos + 4 + size);
    pos += 4 + size;
    if (name === 'channels') channels = readChannels(value);
    if (name === 'compression') compression = value[0];
  }
  // the first block starts where the offset table ends: from there on the file is pixels only
  const firstBlock = Number(bytes.readBigUInt64LE(pos));
  return { kind: 'EXR', channels: `${channels} compression:${compression}`, pixels: hash(bytes.subarray(firstBlock)) };
}

function readChannels(value: Buffer): string {
  const names: string[] = [];
  for (let pos = 0; pos < value.length && value[pos] !== 0;) {
    const end = value.indexOf(0, pos);
    names.push(`${value.toString('latin1', pos, end)}:${['UINT', 'HALF', 'FLOAT'][value.readInt32LE(end + 1)]}`);
    pos = end + 1 + 16;
  }
  return names.join(' ');
}
