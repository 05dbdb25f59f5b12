// The one-line InputErrors a bad .blend produces; each message starts with the file's path.
import { InputError } from '../errors.js';

export function notBlendError(file: string, detail = 'unknown header/compression'): InputError {
  return new InputError(file, `${file}: not a .blend file (${detail})`);
}

/** The file ends before its ENDB block: a copy cut short, or a save still being written. */
export function truncatedError(file: string, detail: string): InputError {
  return new InputError(file, `${file}: truncated .blend file (${detail})`);
}

/** The bytes are there but do not make sense: a damaged or hostile file. */
export function corruptError(file: string, detail: string, cause?: unknown): InputError {
  return new InputError(file, `${file}: corrupt .blend file (${detail})`, cause === undefined ? undefined : { cause });
}
