// Reading an OpenEXR frame into linear RGB floats: single-part scanline files with NONE, RLE, ZIPS or
// ZIP compression, HALF, FLOAT or UINT channels — what Blender writes by default (ZIP, half). sharp's
// prebuilt libvips has no OpenEXR, and the npm EXR readers are little used; this is the part we need.
// Other codecs (PIZ, PXR24, B44, DWA) and tiled or deep files throw: the frame gets no preview.
import zlib from 'node:zlib';

export interface LinearImage { width: number; height: number; rgb: Float32Array }

interface Channel { name: string; type: number }

const COMPRESSION_NAMES = ['NONE', 'RLE', 'ZIPS', 'ZIP', 'PIZ', 'PXR24', 'B44', 'B44A', 'DWAA', 'DWAB'];
const LINES_PER_BLOCK: Record<number, number> = { 0: 1, 1: 1, 2: 1, 3: 16 };
const BYTES_PER_VALUE = [4, 2, 4];

export function decodeExr(file: Buffer): LinearImage {
  if (file.length < 8 || file.readUInt32LE(0) !== 20000630) throw new Error('not an OpenEXR file');
  const flags = file.readUInt32LE(4);
  if (flags & 0x1a00) throw new Error('tiled, deep or multi-part OpenEXR: not previewed');
  let pos = 8;
  const cString = () => { const end = file.indexOf(0, pos); const text = file.toString('latin1', pos, end); pos = end + 1; return text; };
  let channels: Channel[] = [];
  let compression = -1;
  let box = [0, 0, -1, -1];
  for (;;) {
    const name = cString();
    if (name === '') break;
    cString(); // attribute type
    const size = file.readInt32LE(pos);
    const value = file.subarray(pos + 4, pos + 4 + size);
    pos += 4 + size;
    if (name === 'channels') channels = readChannels(value);
    if (name === 'compression') compression = value[0];
    if (name === 'dataWindow') box = [0, 4, 8, 12].map((o) => value.readInt32LE(o));
  }
  const lines = LINES_PER_BLOCK[compression];
  if (lines === undefined) throw new Error(`OpenEXR compression ${COMPRESSION_NAMES[compression] ?? compression}: not previewed`);
  const width = box[2] - box[0] + 1;
  const height = box[3] - box[1] + 1;
  if (width <= 0 || height <= 0 || width * height > 100e6) throw new Error(`OpenEXR data window ${width}x${height}: not previewed`);
  const pick = pickRgb(channels);
  const rgb = new Float32Array(width * height * 3);
  const blocks = Math.ceil(height / lines);
  const lineBytes = channels.reduce((sum, c) => sum + BYTES_PER_VALUE[c.type] * width, 0);
  for (let b = 0; b < blocks; b++) {
    const offset = Number(file.readBigUInt64LE(pos + b * 8));
    const y0 = file.readInt32LE(offset) - box[1];
    const size = file.readInt32LE(offset + 4);
    const rows = Math.min(lines, height - y0);
    const data = unpack(file.subarray(offset + 8, offset + 8 + size), compression, lineBytes * rows);
    for (let r = 0; r < rows; r++) readLine(data, r * lineBytes, channels, pick, width, rgb, (y0 + r) * width * 3);
  }
  return { width, height, rgb };
}

function readChannels(value: Buffer): Channel[] {
  const channels: Channel[] = [];
  let pos = 0;
  while (pos < value.length && value[pos] !== 0) {
    const end = value.indexOf(0, pos);
    const name = value.toString('latin1', pos, end);
    channels.push({ name, type: value.readInt32LE(end + 1) });
    pos = end + 1 + 16;
  }
  return channels;
}

/** Index of the R, G, B channels: plain ones, else the first layer's (`RenderLayer.Combined.R`); grey fills all three. */
function pickRgb(channels: readonly Channel[]): number[] {
  const find = (c: string) => {
    const exact = channels.findIndex((ch) => ch.name === c);
    if (exact >= 0) return exact;
    const combined = channels.findIndex((ch) => ch.name.endsWith(`Combined.${c}`));
    return combined >= 0 ? combined : channels.findIndex((ch) => ch.name.endsWith(`.${c}`));
  };
  const rgb = ['R', 'G', 'B'].map(find);
  if (rgb.every((i) => i >= 0)) return rgb;
  const grey = channels.findIndex((ch) => ch.name === 'Y' || ch.name.endsWith('.V') || ch.name.endsWith('.Y'));
  if (grey >= 0) return [grey, grey, grey];
  throw new Error(`OpenEXR without R, G, B channels (${channels.map((c) => c.name).join(', ')})`);
}

function unpack(data: Buffer, compression: number, rawSize: number): Buffer {
  // a block that would not shrink is stored as it is
  if (compression === 0 || data.length === rawSize) return data;
  const packed = compression === 1 ? unRle(data, rawSize) : zlib.inflateSync(data);
  return interleave(predict(packed));
}

function unRle(data: Buffer, rawSize: number): Buffer {
  const out = Buffer.alloc(rawSize);
  let i = 0, o = 0;
  while (i < data.length && o < rawSize) {
    const count = data.readInt8(i++);
    if (count < 0) { data.copy(out, o, i, i - count); o -= count; i -= count; }
    else { out.fill(data[i++], o, o + count + 1); o += count + 1; }
  }
  return out;
}

function predict(buffer: Buffer): Buffer {
  for (let i = 1; i < buffer.length; i++) buffer[i] = (buffer[i - 1] + buffer[i] - 128) & 0xff;
  return buffer;
}

/** The codec stores the even bytes first, then the odd ones. */
function interleave(buffer: Buffer): Buffer {
  const out = Buffer.alloc(buffer.length);
  const half = (buffer.length + 1) >> 1;
  for (let i = 0, k = 0; k < buffer.length; i++) {
    out[k++] = buffer[i];
    if (k < buffer.length) out[k++] = buffer[half + i];
  }
  return out;
}

function readLine(data: Buffer, start: number, channels: readonly Channel[], pick: readonly number[], width: number, rgb: Float32Array, at: number): void {
  let pos = start;
  channels.forEach((channel, index) => {
    const size = BYTES_PER_VALUE[channel.type];
    for (let k = 0; k < 3; k++) {
      if (pick[k] !== index) continue;
      for (let x = 0, p = pos; x < width; x++, p += size) {
        rgb[at + x * 3 + k] = channel.type === 1 ? HALF[data[p] | (data[p + 1] << 8)] : channel.type === 2 ? data.readFloatLE(p) : data.readUInt32LE(p);
      }
    }
    pos += size * width;
  });
}

/** Every half float's value, so a frame of millions of them is a lookup each. */
const HALF = (() => {
  const table = new Float32Array(65536);
  for (let h = 0; h < 65536; h++) table[h] = halfToFloat(h);
  return table;
})();

export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
