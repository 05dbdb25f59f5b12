// How far a merged frame is from the whole-frame render: PSNR and the largest difference, over 8-bit
// PNG samples (peak 255) or float EXR samples (peak 1), read by the merge's own codecs.
import fs from 'node:fs/promises';
import { readPng, type RasterImage } from '../../src/tiles/png.js';
import { allTiles, type TileGrid } from '../../src/tiles/geometry.js';
import { BYTES_PER_SAMPLE, decodeExrImage, halfToFloat } from '../../src/exr/codec.js';


export interface Difference { psnr: number; maxDiff: number; differing: number; samples: number }

function measure(a: ArrayLike<number>, b: ArrayLike<number>, peak: number): Difference {
  let [se, maxDiff, differing] = [0, 0, 0];
  for (let i = 0; i < a.length; i++) {
    const d = Math.abs(a[i] - b[i]);
    se += d * d;
    if (d > 0) differing++;
    maxDiff = Math.max(maxDiff, d);
  }
  const mse = se / a.length;
  return { psnr: mse === 0 ? Infinity : 10 * Math.log10((peak * peak) / mse), maxDiff, differing, samples: a.length };
}

export async function comparePng(whole: string, merged: string): Promise<Difference> {
  const [a, b] = await Promise.all([readPng(whole), readPng(merged)]);
  if (a.width !== b.width || a.height !== b.height || a.channels !== b.channels || a.bytesPerSample !== b.bytesPerSample) throw new Error('PNGs differ in shape');
  return measure(a.data, b.data, a.bytesPerSample === 2 ? 65535 : 255);
}

/** Every sample of every channel, as floats. */
function samples(file: Buffer): { values: Float64Array; shape: string } {
  const image = decodeExrImage(file);
  const values = new Float64Array(image.width * image.height * image.channels.length);
  let [pos, k] = [0, 0];
  for (let y = 0; y < image.height; y++) {
    for (const channel of image.channels) {
      for (let x = 0; x < image.width; x++, pos += BYTES_PER_SAMPLE[channel.type]) {
        values[k++] = channel.type === 1 ? halfToFloat(image.lines.readUInt16LE(pos)) : channel.type === 2 ? image.lines.readFloatLE(pos) : image.lines.readUInt32LE(pos);
      }
    }
  }
  return { values, shape: `${image.width}x${image.height} ${image.channels.map((c) => `${c.name}:${c.type}`).join(',')}` };
}

export async function compareExr(whole: string, merged: string): Promise<Difference & { shape: string }> {
  const [a, b] = [samples(await fs.readFile(whole)), samples(await fs.readFile(merged))];
  if (a.shape !== b.shape) throw new Error(`EXRs differ in shape: ${a.shape} / ${b.shape}`);
  return { ...measure(a.values, b.values, 1), shape: a.shape };
}

export function describe(d: Difference): string {
  return `PSNR ${Number.isFinite(d.psnr) ? `${d.psnr.toFixed(1)} dB` : 'inf (identical)'}, largest difference ${d.maxDiff}, ${d.differing}/${d.samples} samples differ`;
}

/** Mean step between horizontally or vertically neighbouring samples: across the tiles' kept edges, and elsewhere. */
export interface Seams { across: number; inside: number }

/**
 * Whether tile edges show: the mean absolute step between neighbouring pixels that straddle a tile edge,
 * against the mean step between neighbours that do not (8- or 16-bit samples of a PNG, any channel count).
 */
export function seamSteps(image: RasterImage, grid: TileGrid): Seams {
  const edgesX = new Set(allTiles(grid).filter((t) => t.col > 0).map((t) => t.keep.x0));
  const edgesY = new Set(allTiles(grid).filter((t) => t.row > 0).map((t) => t.keep.y0));
  const sample = image.bytesPerSample === 2 ? (i: number) => image.data.readUInt16BE(i * 2) : (i: number) => image.data[i];
  const at = (x: number, y: number, c: number): number => sample((y * image.width + x) * image.channels + c);
  const sums = { across: [0, 0], inside: [0, 0] };
  const add = (straddles: boolean, step: number): void => {
    const sum = straddles ? sums.across : sums.inside;
    sum[0] += step;
    sum[1]++;
  };
  for (let y = 0; y < image.height; y++) {
    for (let x = 0; x < image.width; x++) {
      for (let c = 0; c < Math.min(image.channels, 3); c++) {
        if (x > 0) add(edgesX.has(x), Math.abs(at(x, y, c) - at(x - 1, y, c)));
        if (y > 0) add(edgesY.has(y), Math.abs(at(x, y, c) - at(x, y - 1, c)));
      }
    }
  }
  return { across: sums.across[0] / sums.across[1], inside: sums.inside[0] / sums.inside[1] };
}

export function describeSeams(s: Seams): string {
  return `mean step across tile edges ${s.across.toFixed(2)}, inside tiles ${s.inside.toFixed(2)} (ratio ${(s.across / s.inside).toFixed(2)})`;
}
