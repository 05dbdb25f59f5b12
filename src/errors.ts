// The farm's error family: library code throws these; only the CLI entry maps them to exit codes.

export class FarmError extends Error {
  readonly code: string;
  constructor(code: string, message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'FarmError';
    this.code = code;
  }
}

/** The user asked for something malformed: exit code 2, one line, no stack. */
export class UsageError extends FarmError {
  constructor(message: string, options?: { cause?: unknown }) {
    super('EUSAGE', message, options);
    this.name = 'UsageError';
  }
}

/** A file the user named is missing, unreadable or not what it claims to be: exit code 2. */
export class InputError extends FarmError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('EINPUT', message, options);
    this.name = 'InputError';
    this.file = file;
  }
}

/** A spool file that does not parse or fails validation. */
export class SpoolFormatError extends FarmError {
  readonly file: string;
  constructor(file: string, message: string, options?: { cause?: unknown }) {
    super('ESPOOLFORMAT', `${file}: ${message}`, options);
    this.name = 'SpoolFormatError';
    this.file = file;
  }
}

/** A job, chunk or node the user named does not exist. */
export class NotFoundError extends FarmError {
  constructor(message: string) {
    super('ENOTFOUND', message);
    this.name = 'NotFoundError';
  }
}

/** Errors a user caused and can fix: printed as one line, exit 2. */
export function isUserError(error: unknown): error is FarmError {
  return error instanceof UsageError || error instanceof InputError || error instanceof NotFoundError;
}

export function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
