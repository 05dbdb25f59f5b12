// OpenEXR in and out, for the tiles' merge and the previews: single-part scanline files as Blender writes
// them (half, float or uint channels, any number: a multilayer file is one part with every pass as named
// channels). Samples are moved as bytes, never converted, so a merged frame holds exactly the tiles'
// values. Compression: NONE, RLE, ZIPS and ZIP are read; NONE, ZIPS and ZIP are written as read, RLE is
// written as ZIP. sharp's prebuilt libvips has no OpenEXR, and the npm EXR readers are little used.
import zlib from 'node:zlib';

export interface ExrAttribute { name: string; type: string; value: Buffer }
export interface ExrChannel { name: string; type: number }

export interface ExrImage {
  /** The header's attributes in file order (channels, compression, windows included). */
  attributes: ExrAttribute[];
  channels: ExrChannel[];
  compression: number;
  /** The version field's flag bits (long names, 0x400, when a name passes 31 characters). */
  flags: number;
  width: number;
  height: number;
  /** Every scanline uncompressed, top to bottom; a line holds each channel's `width` samples in turn. */
  lines: Buffer;
}

const MAGIC = 20000630;
const LINES_PER_BLOCK: Record<number, number> = { 0: 1, 1: 1, 2: 1, 3: 16 };
export const BYTES_PER_SAMPLE = [4, 2, 4];
const [NONE, RLE, ZIP] = [0, 1, 3];
const COMPRESSION_NAMES = ['NONE', 'RLE', 'ZIPS', 'ZIP', 'PIZ', 'PXR24', 'B44', 'B44A', 'DWAA', 'DWAB'];
/** A data window past this many pixels is a corrupt header, not a frame to allocate for. */
const MAX_PIXELS = 100e6;

export function lineBytes(channels: readonly ExrChannel[], width: number): number {
  return channels.reduce((sum, c) => sum + BYTES_PER_SAMPLE[c.type] * width, 0);
}

export function decodeExrImage(file: Buffer, name = 'EXR'): ExrImage {
  if (file.length < 8 || file.readUInt32LE(0) !== MAGIC) throw new Error(`${name}: not an OpenEXR file`);
  const flags = file.readUInt32LE(4) & ~0xff;
  if (flags & 0x1a00) throw new Error(`${name}: tiled, deep or multi-part OpenEXR: not read`);
  let pos = 8;
  const cString = () => { const end = file.indexOf(0, pos); const text = file.toString('latin1', pos, end); pos = end + 1; return text; };
  const attributes: ExrAttribute[] = [];
  for (;;) {
    const attr = cString();
    if (attr === '') break;
    const type = cString();
    const size = file.readInt32LE(pos);
    attributes.push({ name: attr, type, value: Buffer.from(file.subarray(pos + 4, pos + 4 + size)) });
    pos += 4 + size;
  }
  const get = (key: string) => attributes.find((a) => a.name === key)?.value;
  const channels = readChannels(get('channels')!);
  const compression = get('compression')![0];
  const box = [0, 4, 8, 12].map((o) => get('dataWindow')!.readInt32LE(o));
  const lines = LINES_PER_BLOCK[compression];
  if (lines === undefined) throw new Error(`${name}: OpenEXR compression ${COMPRESSION_NAMES[compression] ?? `#${compression}`}: not read (NONE, RLE, ZIPS, ZIP are)`);
  const [width, height] = [box[2] - box[0] + 1, box[3] - box[1] + 1];
  if (width <= 0 || height <= 0 || width * height > MAX_PIXELS) throw new Error(`${name}: OpenEXR data window ${width}x${height}: not read`);
  const perLine = lineBytes(channels, width);
  const out = Buffer.alloc(perLine * height);
  for (let b = 0; b < Math.ceil(height / lines); b++) {
    const offset = Number(file.readBigUInt64LE(pos + b * 8));
    const y0 = file.readInt32LE(offset) - box[1];
    const size = file.readInt32LE(offset + 4);
    const rows = Math.min(lines, height - y0);
    unpack(file.subarray(offset + 8, offset + 8 + size), compression, perLine * rows).copy(out, y0 * perLine);
  }
  return { attributes, channels, compression, flags, width, height, lines: out };
}

function readChannels(value: Buffer): ExrChannel[] {
  const channels: ExrChannel[] = [];
  let pos = 0;
  while (pos < value.length && value[pos] !== 0) {
    const end = value.indexOf(0, pos);
    channels.push({ name: value.toString('latin1', pos, end), type: value.readInt32LE(end + 1) });
    pos = end + 1 + 16;
  }
  return channels;
}

/** The image written with its own header, but windows of its (new) size and RLE stored as ZIP. */
export function encodeExrImage(image: ExrImage): Buffer {
  const compression = image.compression === RLE ? ZIP : image.compression;
  const box = Buffer.alloc(16);
  box.writeInt32LE(image.width - 1, 8);
  box.writeInt32LE(image.height - 1, 12);
  const replaced: Record<string, Buffer> = { dataWindow: box, displayWindow: box, compression: Buffer.from([compression]) };
  const version = Buffer.alloc(8);
  version.writeUInt32LE(MAGIC, 0);
  version.writeUInt32LE(2 | image.flags, 4);
  const header: Buffer<ArrayBufferLike>[] = [version];
  for (const attr of image.attributes) {
    const value = replaced[attr.name] ?? attr.value;
    const size = Buffer.alloc(4);
    size.writeInt32LE(value.length);
    header.push(Buffer.from(`${attr.name}\0${attr.type}\0`, 'latin1'), size, value);
  }
  header.push(Buffer.from([0]));
  const perLine = lineBytes(image.channels, image.width);
  const lines = LINES_PER_BLOCK[compression];
  const blocks: Buffer<ArrayBufferLike>[] = [];
  for (let y = 0; y < image.height; y += lines) {
    const raw = image.lines.subarray(y * perLine, Math.min(image.height, y + lines) * perLine);
    const packed: Buffer<ArrayBufferLike> = compression === NONE ? raw : pack(raw);
    const head = Buffer.alloc(8);
    head.writeInt32LE(y, 0);
    head.writeInt32LE(packed.length, 4);
    blocks.push(Buffer.concat([head, packed]));
  }
  const headerBytes = header.reduce((sum, b) => sum + b.length, 0);
  const table = Buffer.alloc(8 * blocks.length);
  let offset = headerBytes + table.length;
  blocks.forEach((block, i) => { table.writeBigUInt64LE(BigInt(offset), i * 8); offset += block.length; });
  return Buffer.concat([...header, table, ...blocks]);
}

/** ZIP/ZIPS: even bytes then odd bytes, then each byte as its difference from the one before, deflated. */
function pack(raw: Buffer): Buffer {
  const split = Buffer.alloc(raw.length);
  const half = (raw.length + 1) >> 1;
  for (let i = 0; i < raw.length; i++) split[(i & 1) ? half + (i >> 1) : i >> 1] = raw[i];
  for (let i = split.length - 1; i > 0; i--) split[i] = (split[i] - split[i - 1] + 128) & 0xff;
  const deflated = zlib.deflateSync(split);
  return deflated.length < raw.length ? deflated : raw; // a block that would not shrink is stored as it is
}

function unpack(data: Buffer, compression: number, rawSize: number): Buffer {
  if (compression === NONE || data.length === rawSize) return data;
  const packed = compression === RLE ? unRle(data, rawSize) : zlib.inflateSync(data);
  for (let i = 1; i < packed.length; i++) packed[i] = (packed[i - 1] + packed[i] - 128) & 0xff;
  const out = Buffer.alloc(packed.length);
  const half = (packed.length + 1) >> 1;
  for (let i = 0; i < packed.length; i++) out[i] = packed[(i & 1) ? half + (i >> 1) : i >> 1];
  return out;
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


/** A half float's value (sample type 1). */
export function halfToFloat(h: number): number {
  const sign = h & 0x8000 ? -1 : 1;
  const exponent = (h >> 10) & 0x1f;
  const fraction = h & 0x3ff;
  if (exponent === 0) return sign * 2 ** -14 * (fraction / 1024);
  if (exponent === 31) return fraction ? NaN : sign * Infinity;
  return sign * 2 ** (exponent - 15) * (1 + fraction / 1024);
}
