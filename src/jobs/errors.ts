// Errors of naming jobs.
import { UsageError } from '../errors.js';

/** A job reference that matches several jobs. */
export class AmbiguousError extends UsageError {}
