// A job that cannot be read is `broken`: its reason in words, for the node's log and for `render list`.
import { FarmError, SpoolFormatError } from '../errors.js';

/** One line saying why a job could not be read or worked on. */
export function describeJobError(error: unknown): string {
  const code = (error as NodeJS.ErrnoException)?.code;
  const where = (error as NodeJS.ErrnoException)?.path;
  const on = where ? ` (${where})` : '';
  if (error instanceof SpoolFormatError) return error.message;
  if (error instanceof FarmError) return error.message;
  if (code === 'EACCES' || code === 'EPERM') return `permission denied${on}: this node's user cannot read it`;
  if (code === 'EISDIR') return `a directory where a file should be${on}`;
  if (code === 'ENOTDIR') return `a file where a directory should be${on}`;
  if (code === 'EBUSY') return `busy${on}`;
  if (code === 'ELOOP') return `a symbolic link${on}`;
  if (code) return `${code}${on}: ${(error as Error).message}`;
  return error instanceof Error ? error.message : String(error);
}

/** A job named by the user exists but cannot be read: `render show` says `broken` and why. */
export class BrokenJobError extends FarmError {
  constructor(readonly job: string, readonly reason: string) {
    super('EBROKEN', `job ${job} is broken: ${reason}`);
    this.name = 'BrokenJobError';
  }
}
