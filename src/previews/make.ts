// One preview: decode a frame (PNG, JPEG, TIFF through sharp/libvips; OpenEXR through exr.ts and a
// tone map), flatten it over black, shrink it to PREVIEW_WIDTH and write a PNG, atomically.
import fs from 'node:fs/promises';
import path from 'node:path';
import sharp from 'sharp';
import { decodeExr } from './exr.js';
import { PREVIEW_WIDTH } from './paths.js';
import { toneMap } from './tonemap.js';
import { tempName, writeAndRename } from '../spool/atomic.js';
import { SpoolFormatError } from '../errors.js';

/** Formats with a preview; the rest (BMP, TGA, DPX, HDR…) are skipped, never an error for the chunk. */
export const PREVIEWABLE = /\.(png|jpe?g|tiff?|exr)$/i;

export async function makePreview(source: string, dest: string, width = PREVIEW_WIDTH): Promise<{ width: number; height: number }> {
  const { data, info } = await (await openFrame(source)).flatten({ background: '#000000' }).toColourspace('srgb')
    .resize({ width, withoutEnlargement: true }).png({ compressionLevel: 6 }).toBuffer({ resolveWithObject: true });
  await writePreview(dest, data);
  return { width: info.width, height: info.height };
}

/** A frame file as an image to resize: PNG, JPEG, TIFF by sharp; OpenEXR by our codec and a tone map. */
export async function openFrame(source: string): Promise<sharp.Sharp> {
  if (!/\.exr$/i.test(source)) return sharp(source, { failOn: 'error' });
  const exr = decodeExr(await fs.readFile(source));
  return sharp(toneMap(exr.rgb), { raw: { width: exr.width, height: exr.height, channels: 3 } });
}

/** A preview PNG written into jobs/<job>/previews/, never through a link. */
export async function writePreview(dest: string, data: Buffer): Promise<void> {
  await fs.mkdir(path.dirname(dest), { recursive: true });
  // jobs/<job>/previews/ and the folders above it must be real folders: a planted link must not make a
  // node write outside the spool; the file itself is a new one (O_EXCL, O_NOFOLLOW) renamed into place
  await refuseLinks(path.dirname(dest), FOLDERS_CHECKED);
  await writeAndRename(tempName(dest), dest, data);
}

/** previews/, its job's folder and jobs/. */
const FOLDERS_CHECKED = 3;

async function refuseLinks(dir: string, levels: number): Promise<void> {
  for (let at = dir, i = 0; i < levels; i++, at = path.dirname(at)) {
    const stat = await fs.lstat(at);
    if (!stat.isDirectory()) throw new SpoolFormatError(at, stat.isSymbolicLink() ? 'is a symbolic link: spool writes never follow links' : 'is not a folder');
  }
}
