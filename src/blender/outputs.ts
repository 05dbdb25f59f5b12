// Where Blender writes a frame: the same rules as BKE_image_path_from_imformat
// (blenkernel/intern/image_format.cc) and BLI_path_frame (blenlib/intern/path_util.c),
// checked against Blender 3.4's `Saved:` lines. hooks/blender/post-check does the same in awk.
import { posix } from 'node:path';
import { UsageError } from '../errors.js';

/** File extensions Blender gives each format, the one it appends first (image_path_ext_from_imformat_impl). */
const EXTENSIONS_BY_FORMAT: Readonly<Record<string, readonly string[]>> = {
  BMP: ['.bmp'],
  IRIS: ['.rgb'],
  PNG: ['.png'],
  JPEG: ['.jpg', '.jpeg'],
  JPEG2000: ['.jp2'],
  TARGA: ['.tga'],
  TARGA_RAW: ['.tga'],
  CINEON: ['.cin'],
  DPX: ['.dpx'],
  OPEN_EXR: ['.exr'],
  OPEN_EXR_MULTILAYER: ['.exr'],
  HDR: ['.hdr'],
  TIFF: ['.tif', '.tiff'],
  WEBP: ['.webp'],
};

/** Blender's `-F` takes a few formats under other names than the scene's file_format enum. */
const FORMAT_ALIASES: Readonly<Record<string, string>> = {
  TGA: 'TARGA', RAWTGA: 'TARGA_RAW', JP2: 'JPEG2000', EXR: 'OPEN_EXR', MULTILAYER: 'OPEN_EXR_MULTILAYER',
};
const ARG_BY_FORMAT: Readonly<Record<string, string>> = { TARGA: 'TGA', TARGA_RAW: 'RAWTGA', JPEG2000: 'JP2' };

/** Movie formats write one file per chunk, named after its frame range, not one per frame. */
export const MOVIE_FORMATS: ReadonlySet<string> = new Set(['FFMPEG', 'AVI_JPEG', 'AVI_RAW']);

/** Extensions Blender replaces instead of appending to, so `f_##.png` in JPEG is `f_01.jpg` (imb_ext_image). */
const IMAGE_EXTENSIONS: readonly string[] = [
  '.png', '.tga', '.bmp', '.jpg', '.jpeg', '.sgi', '.rgb', '.rgba', '.tif', '.tiff', '.tx', '.jp2',
  '.j2c', '.hdr', '.dds', '.dpx', '.cin', '.exr', '.psd', '.pdd', '.psb', '.webp',
];

/** Digits Blender appends when the file name has no `#`. */
export const DEFAULT_FRAME_DIGITS = 4;

/**
 * The scene enum name for a format as a user may type it (`png`, `TGA`, `OPEN_EXR`);
 * '' for "the scene's own". Throws a UsageError naming the format when Blender has no such one.
 */
export function normalizeOutputFormat(rawFormat: string | null | undefined): string {
  const format = (rawFormat ?? '').trim().toUpperCase();
  if (format === '' || MOVIE_FORMATS.has(format) || format in EXTENSIONS_BY_FORMAT) return format;
  if (format in FORMAT_ALIASES) return FORMAT_ALIASES[format];
  const known = [...Object.keys(EXTENSIONS_BY_FORMAT), ...MOVIE_FORMATS].join(', ');
  throw new UsageError(`output format '${rawFormat}' is not one Blender writes (expected one of ${known})`);
}

/** The name to give Blender's `-F` for a format (its enum name, except TGA, RAWTGA, JP2). */
export function formatArgument(format: string): string {
  const normalized = normalizeOutputFormat(format);
  return ARG_BY_FORMAT[normalized] ?? normalized;
}

/** True when the format writes a movie rather than a file per frame. */
export function isMovieFormat(format: string | null | undefined): boolean {
  return MOVIE_FORMATS.has(normalizeOutputFormat(format));
}

/**
 * The file Blender writes for `frame` given the output pattern (`-o`), the format (`-F`) and
 * the .blend, as Blender builds it with the scene's "File Extensions" option on (the default):
 * - a leading `//` is relative to the .blend's folder, and the path is normalized (`..`, `//`);
 *   any other relative pattern stays relative to Blender's working directory (the job folder);
 * - the last run of `#` in the file name becomes the frame, zero-padded to the run's length,
 *   with the sign in front (`##` → `07`, `-03`); `#` in folder names stay as they are;
 *   no `#` in the file name → four digits appended;
 * - the format's extension is kept if the name already has it (any case), replaces another
 *   image extension (`.png` → `.jpg`), else is appended (`f_01.v2` → `f_01.v2.png`).
 * An empty format (the scene's own) leaves the extension unknown: the result then has none
 * (a known image extension in the pattern is dropped) and the file is that path plus any
 * one extension. Null for movie formats, which have no per-frame file.
 */
export function expectedOutputPath(pattern: string, frame: number, format: string | null | undefined, blendFile: string): string | null {
  if (!Number.isSafeInteger(frame)) throw new TypeError(`frame must be an integer, got ${frame}`);
  if (pattern === '') throw new TypeError("output pattern is empty: the scene's own path is not known without Blender");
  const normalized = normalizeOutputFormat(format);
  if (MOVIE_FORMATS.has(normalized)) return null;
  const path = replaceFrameDigits(resolveBlenderPath(pattern, blendFile), frame);
  const known = IMAGE_EXTENSIONS.find((ext) => endsWithExtension(path, ext));
  if (normalized === '') return known ? path.slice(0, -known.length) : path;
  const valid = EXTENSIONS_BY_FORMAT[normalized];
  if (valid.some((ext) => endsWithExtension(path, ext))) return path;
  return (known ? path.slice(0, -known.length) : path) + valid[0];
}

/** `//` → the .blend's folder, then `.`/`..`/`//` folded, a trailing `/` kept (BLI_path_abs). */
export function resolveBlenderPath(pattern: string, blendFile: string): string {
  const joined = pattern.startsWith('//') ? posix.join(posix.dirname(blendFile), pattern.slice(2)) : pattern;
  const normalized = posix.normalize(joined);
  return pattern.endsWith('/') && !normalized.endsWith('/') ? `${normalized}/` : normalized;
}

/** The last `#` run of the file name → the frame, as printf("%.*d") pads it (BLI_path_frame). */
export function replaceFrameDigits(path: string, frame: number): string {
  const slash = path.lastIndexOf('/');
  const folder = path.slice(0, slash + 1);
  let name = path.slice(slash + 1);
  if (!name.includes('#')) name += '#'.repeat(DEFAULT_FRAME_DIGITS);
  const runs = [...name.matchAll(/#+/g)];
  const last = runs[runs.length - 1];
  const digits = String(Math.abs(frame)).padStart(last[0].length, '0');
  const number = frame < 0 ? `-${digits}` : digits;
  return folder + name.slice(0, last.index) + number + name.slice(last.index! + last[0].length);
}

function endsWithExtension(path: string, extension: string): boolean {
  return path.toLowerCase().endsWith(extension);
}
