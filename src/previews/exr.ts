// An OpenEXR frame as linear RGB floats for its preview, read by the one EXR codec (exr/codec.ts): what
// Blender writes by default (ZIP, half), single-layer or multilayer (the first layer's Combined). Other
// codecs (PIZ, PXR24, B44, DWA) and tiled or deep files throw: the frame gets no preview.
import { BYTES_PER_SAMPLE, decodeExrImage, halfToFloat, lineBytes, type ExrChannel } from '../exr/codec.js';

export { halfToFloat };

export interface LinearImage { width: number; height: number; rgb: Float32Array }

export function decodeExr(file: Buffer): LinearImage {
  const { width, height, channels, lines } = decodeExrImage(file, 'frame');
  const pick = pickRgb(channels);
  const rgb = new Float32Array(width * height * 3);
  const perLine = lineBytes(channels, width);
  for (let y = 0; y < height; y++) readLine(lines, y * perLine, channels, pick, width, rgb, y * width * 3);
  return { width, height, rgb };
}

/** Index of the R, G, B channels: plain ones, else the first layer's (`RenderLayer.Combined.R`); grey fills all three. */
function pickRgb(channels: readonly ExrChannel[]): number[] {
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

function readLine(data: Buffer, start: number, channels: readonly ExrChannel[], pick: readonly number[], width: number, rgb: Float32Array, at: number): void {
  let pos = start;
  channels.forEach((channel, index) => {
    const size = BYTES_PER_SAMPLE[channel.type];
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
