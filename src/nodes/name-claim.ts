// A node name is held by one live instance at a time: `nodes/.names/<name>/` is a directory holding
// `owner.json` (instance, host, pid). It appears by one rename of a finished temp directory, which fails
// when the name is held — so two instances started at the same instant cannot both get it, on any
// filesystem where rename is atomic. It is broken (renamed aside, then checked to be the owner judged dead)
// only when its owner is proven dead; the owner reads it back at every heartbeat.
import fs from 'node:fs';
import path from 'node:path';
import { randomBytes } from 'node:crypto';
import { isMissing } from '../spool/atomic.js';
import type { SpoolLayout } from '../spool/layout.js';
import type { ProcessIdentity } from './host.js';

export interface NameOwner extends ProcessIdentity {
  instance: string;
}

const namesDir = (layout: SpoolLayout) => path.join(layout.nodes, '.names');
/** The folder of name claims: one entry per registered name, changed only when a node comes or goes for good. */
export const nameClaimsDir = namesDir;
const claimDir = (layout: SpoolLayout, name: string) => path.join(namesDir(layout), name);
const OWNER_FILE = 'owner.json';

function codeOf(error: unknown): string | undefined {
  return (error as NodeJS.ErrnoException)?.code;
}

function isGone(error: unknown): boolean {
  return isMissing(error) || codeOf(error) === 'ESTALE';
}

function uniqueName(prefix: string): string {
  return `${prefix}${process.pid}-${randomBytes(6).toString('hex')}`;
}

/** Takes `name` for `owner` if nobody holds it; false when somebody does. */
export function tryTakeName(layout: SpoolLayout, name: string, owner: NameOwner): boolean {
  fs.mkdirSync(namesDir(layout), { recursive: true });
  const tmp = path.join(namesDir(layout), uniqueName('.tmp-'));
  fs.mkdirSync(tmp);
  fs.writeFileSync(path.join(tmp, OWNER_FILE), `${JSON.stringify(owner)}\n`);
  try {
    // a directory renamed onto a non-empty one fails: the name is held
    fs.renameSync(tmp, claimDir(layout, name));
    return true;
  } catch (error) {
    removeClaim(tmp);
    if (codeOf(error) === 'ENOTEMPTY' || codeOf(error) === 'EEXIST') return false;
    throw error;
  }
}

/** Who holds `name` now (read by name, uncached), or null when nobody does. */
export function readNameOwner(layout: SpoolLayout, name: string): NameOwner | null {
  return readOwnerIn(claimDir(layout, name));
}

function readOwnerIn(dir: string): NameOwner | null {
  try {
    const owner = JSON.parse(fs.readFileSync(path.join(dir, OWNER_FILE), 'utf8')) as NameOwner;
    return typeof owner?.instance === 'string' ? owner : null;
  } catch (error) {
    // a claim without a readable owner is debris of a crash inside tryTakeName's rename: nobody's
    if (isGone(error) || error instanceof SyntaxError || codeOf(error) === 'ENOTDIR') return null;
    throw error;
  }
}

/**
 * Breaks `name`'s claim if it still belongs to `instance` (judged dead): renamed aside, then checked.
 * Returns false if the claim aside was someone else's (taken again in between; its owner finds it gone at
 * its next heartbeat and stops claiming, so two live owners never both keep it).
 */
export function breakName(layout: SpoolLayout, name: string, instance: string): boolean {
  const before = readNameOwner(layout, name);
  if (before && before.instance !== instance) return false;
  const aside = path.join(namesDir(layout), uniqueName('.broken-'));
  try {
    fs.renameSync(claimDir(layout, name), aside);
  } catch (error) {
    if (isGone(error)) return true;
    throw error;
  }
  const moved = readOwnerIn(aside);
  removeClaim(aside);
  return !moved || moved.instance === instance;
}

/** Gives `name` up on a clean exit, if it is still ours. */
export function releaseName(layout: SpoolLayout, name: string, instance: string): void {
  if (readNameOwner(layout, name)?.instance !== instance) return;
  breakName(layout, name, instance);
}

function removeClaim(dir: string): void {
  fs.rmSync(dir, { recursive: true, force: true });
}
