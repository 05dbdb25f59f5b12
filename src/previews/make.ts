// One preview: decode a frame (PNG, JPEG, TIFF through sharp/libvips; OpenEXR through exr.ts and a
// tone map), flatten it over black, shrink it to PREVIEW_WIDTH and write a PNG, atomically.
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { decodeExr } from './exr.js';
import { PREVIEW_WIDTH } from './paths.js';
import { toneMap } from './tonemap.js';

/** Formats with a preview; the rest (BMP, TGA, DPX, HDR…) are skipped, never an error for the chunk. */
export const PREVIEWABLE = /\.(png|jpe?g|tiff?|exr)$/i;

export async function makePreview(source: string, dest: string, width = PREVIEW_WIDTH): Promise<{ width: number; height: number }> {
  let image: sharp.Sharp;
  if (/\.exr$/i.test(source)) {
    const exr = decodeExr(await fs.readFile(source));
    image = sharp(toneMap(exr.rgb), { raw: { width: exr.width, height: exr.height, channels: 3 } });
  } else {
    image = sharp(source, { failOn: 'error' });
  }
  await fs.mkdir(path.dirname(dest), { recursive: true });
  const tmp = `${dest}.${process.pid}.${Math.random().toString(36).slice(2)}.tmp`;
  try {
    const info = await image.flatten({ background: '#000000' }).toColourspace('srgb')
      .resize({ width, withoutEnlargement: true }).png({ compressionLevel: 6 }).toFile(tmp);
    await fs.rename(tmp, dest);
    return { width: info.width, height: info.height };
  } catch (error) {
    await fs.rm(tmp, { force: true });
    throw error;
  }
}
