// Reading a PNG screenshot back into pixels (8-bit RGB or RGBA, as Chromium writes them) with
// node:zlib, to check that a page rendered something and what colours it has.
import zlib from 'node:zlib';

export interface Pixels { width: number; height: number; channels: number; data: Buffer }

export function decodePng(file: Buffer): Pixels {
  if (file.subarray(0, 8).toString('hex') !== '89504e470d0a1a0a') throw new Error('not a PNG');
  let pos = 8;
  let width = 0, height = 0, bitDepth = 0, colourType = 0;
  const idat: Buffer[] = [];
  while (pos < file.length) {
    const length = file.readUInt32BE(pos);
    const type = file.toString('latin1', pos + 4, pos + 8);
    const body = file.subarray(pos + 8, pos + 8 + length);
    if (type === 'IHDR') { width = body.readUInt32BE(0); height = body.readUInt32BE(4); bitDepth = body[8]; colourType = body[9]; }
    if (type === 'IDAT') idat.push(body);
    if (type === 'IEND') break;
    pos += 12 + length;
  }
  if (bitDepth !== 8 || (colourType !== 2 && colourType !== 6)) throw new Error(`PNG of bit depth ${bitDepth}, colour type ${colourType}: not handled`);
  const channels = colourType === 6 ? 4 : 3;
  const raw = zlib.inflateSync(Buffer.concat(idat));
  const stride = width * channels;
  const data = Buffer.alloc(stride * height);
  for (let y = 0; y < height; y++) {
    const filter = raw[y * (stride + 1)];
    const line = raw.subarray(y * (stride + 1) + 1, (y + 1) * (stride + 1));
    for (let x = 0; x < stride; x++) {
      const a = x >= channels ? data[y * stride + x - channels] : 0;
      const b = y > 0 ? data[(y - 1) * stride + x] : 0;
      const c = x >= channels && y > 0 ? data[(y - 1) * stride + x - channels] : 0;
      const p = a + b - c;
      const paeth = Math.abs(p - a) <= Math.abs(p - b) && Math.abs(p - a) <= Math.abs(p - c) ? a : Math.abs(p - b) <= Math.abs(p - c) ? b : c;
      const predictor = [0, a, b, (a + b) >> 1, paeth][filter];
      data[y * stride + x] = (line[x] + predictor) & 0xff;
    }
  }
  return { width, height, channels, data };
}

/** How many pixels are within `tolerance` of an RGB colour. */
export function countNear(pixels: Pixels, rgb: [number, number, number], tolerance = 24): number {
  let n = 0;
  for (let i = 0; i < pixels.data.length; i += pixels.channels) {
    if (Math.abs(pixels.data[i] - rgb[0]) <= tolerance && Math.abs(pixels.data[i + 1] - rgb[1]) <= tolerance && Math.abs(pixels.data[i + 2] - rgb[2]) <= tolerance) n++;
  }
  return n;
}

/** Distinct colours, coarsened to 4 bits per channel. */
export function colourCount(pixels: Pixels): number {
  const seen = new Set<number>();
  for (let i = 0; i < pixels.data.length; i += pixels.channels) seen.add(((pixels.data[i] >> 4) << 8) | ((pixels.data[i + 1] >> 4) << 4) | (pixels.data[i + 2] >> 4));
  return seen.size;
}
