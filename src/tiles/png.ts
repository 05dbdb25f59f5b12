// PNG in and out for the merge, our own: sharp (libvips) hands 16-bit PNGs over rescaled and grey ones
// as RGB, and a merge must keep every sample. Blender writes non-interlaced PNGs of 8 or 16 bits, grey,
// RGB or RGBA; decoding them is inflate and the five row filters, encoding is unfiltered rows.
import fs from 'node:fs/promises';
import zlib from 'node:zlib';

export interface RasterImage {
  width: number;
  height: number;
  channels: number;
  /** 1 or 2 bytes per sample; 16-bit samples big-endian, as PNG stores them. */
  bytesPerSample: number;
  data: Buffer;
}

/** PNG colour types by channel count: grey, grey+alpha, RGB, RGBA. */
const COLOUR_TYPES: Record<number, number> = { 1: 0, 2: 4, 3: 2, 4: 6 };
const CHANNELS_BY_TYPE: Record<number, number> = { 0: 1, 4: 2, 2: 3, 6: 4 };

export async function readPng(file: string): Promise<RasterImage> {
  return decodePng(await fs.readFile(file), file);
}

export function decodePng(png: Buffer, name = 'PNG'): RasterImage {
  let pos = 8;
  let header: Buffer | undefined;
  const idat: Buffer[] = [];
  while (pos + 8 <= png.length) {
    const length = png.readUInt32BE(pos);
    const type = png.toString('latin1', pos + 4, pos + 8);
    const body = png.subarray(pos + 8, pos + 8 + length);
    if (type === 'IHDR') header = body;
    if (type === 'IDAT') idat.push(body);
    pos += 12 + length;
  }
  if (!header) throw new Error(`${name}: not a PNG`);
  const [width, height, depth, colour, interlace] = [header.readUInt32BE(0), header.readUInt32BE(4), header[8], header[9], header[12]];
  const channels = CHANNELS_BY_TYPE[colour];
  if (!channels || (depth !== 8 && depth !== 16) || interlace !== 0) throw new Error(`${name}: PNG of colour type ${colour}, ${depth} bits${interlace ? ', interlaced' : ''}: not merged`);
  const bytesPerSample = depth / 8;
  const bpp = channels * bytesPerSample;
  const rowBytes = width * bpp;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const data = Buffer.alloc(rowBytes * height);
  for (let y = 0; y < height; y++) unfilterRow(raw, y * (rowBytes + 1), data, y * rowBytes, y > 0 ? (y - 1) * rowBytes : -1, rowBytes, bpp);
  return { width, height, channels, bytesPerSample, data };
}

/** Undo one row's filter (PNG spec §9.2) into `out` at `at`; `prev` is the previous row's offset in `out`, -1 for none. */
function unfilterRow(raw: Buffer, pos: number, out: Buffer, at: number, prev: number, rowBytes: number, bpp: number): void {
  const filter = raw[pos];
  for (let i = 0; i < rowBytes; i++) {
    const x = raw[pos + 1 + i];
    const a = i >= bpp ? out[at + i - bpp] : 0;
    const b = prev >= 0 ? out[prev + i] : 0;
    const c = i >= bpp && prev >= 0 ? out[prev + i - bpp] : 0;
    let value = x;
    if (filter === 1) value = x + a;
    else if (filter === 2) value = x + b;
    else if (filter === 3) value = x + ((a + b) >> 1);
    else if (filter === 4) value = x + paeth(a, b, c);
    out[at + i] = value & 0xff;
  }
}

function paeth(a: number, b: number, c: number): number {
  const p = a + b - c;
  const [pa, pb, pc] = [Math.abs(p - a), Math.abs(p - b), Math.abs(p - c)];
  return pa <= pb && pa <= pc ? a : pb <= pc ? b : c;
}

export function encodePng(image: RasterImage): Buffer {
  const rowBytes = image.width * image.channels * image.bytesPerSample;
  const raw = Buffer.alloc((rowBytes + 1) * image.height);
  for (let y = 0; y < image.height; y++) image.data.copy(raw, y * (rowBytes + 1) + 1, y * rowBytes, (y + 1) * rowBytes);
  const header = Buffer.alloc(13);
  header.writeUInt32BE(image.width, 0);
  header.writeUInt32BE(image.height, 4);
  header[8] = image.bytesPerSample * 8;
  header[9] = COLOUR_TYPES[image.channels];
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    pngChunk('IHDR', header), pngChunk('IDAT', zlib.deflateSync(raw, { level: 6 })), pngChunk('IEND', Buffer.alloc(0)),
  ]);
}

function pngChunk(type: string, body: Buffer): Buffer {
  const head = Buffer.alloc(8);
  head.writeUInt32BE(body.length, 0);
  head.write(type, 4, 'latin1');
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(zlib.crc32(Buffer.concat([head.subarray(4), body])) >>> 0, 0);
  return Buffer.concat([head, body, crc]);
}

export async function writePng(file: string, image: RasterImage): Promise<void> {
  await fs.writeFile(file, encodePng(image));
}
