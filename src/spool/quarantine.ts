// Files that fail to parse or validate are moved aside, never deleted and never fatal (invariant 3).
import fs from 'node:fs/promises';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import type { SpoolLayout } from './layout.js';
import { isMissing } from './atomic.js';

export type Log = (line: string) => void;

/** Moves `file` into quarantine/ under a name that keeps where it came from; returns the new path. */
export async function quarantineFile(layout: SpoolLayout, file: string, reason: string, log: Log): Promise<string | null> {
  const relative = path.relative(layout.root, file).split(path.sep).join('~');
  const target = path.join(layout.quarantine, `${relative}.${Date.now()}.${randomBytes(2).toString('hex')}`);
  try {
    await fs.mkdir(layout.quarantine, { recursive: true });
    await fs.rename(file, target);
  } catch (error) {
    // another node quarantined it first, or it was repaired meanwhile
    if (isMissing(error)) return null;
    throw error;
  }
  log(`quarantined ${path.relative(layout.root, file)}: ${reason} (moved to ${path.relative(layout.root, target)})`);
  return target;
}
