// Licence tokens: at most COUNT chunks farm-wide hold a licence at once — a counting semaphore on the
// spool. A holder is an entry `<job>~<chunk>~<token>` made while its chunk is locked for the claim, and
// removed when the attempt ends; entries whose chunk no longer runs under that token are reclaimed.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { FarmContext } from '../claim/context.js';
import { isMissing, listNames, readInfoFile, writeFileAtomic } from '../spool/atomic.js';
import { touchNoFollow } from '../spool/no-follow.js';
import { parseJson } from '../spool/atomic.js';
import { isSafeName } from '../spool/layout.js';
import { NotFoundError, UsageError } from '../errors.js';
import { readChunk } from '../claim/chunks.js';

export interface License {
  name: string;
  count: number;
  held: string[];
}

const dirOf = (ctx: FarmContext) => path.join(ctx.layout.root, 'licenses');
const fileOf = (ctx: FarmContext, name: string) => path.join(dirOf(ctx), `${name}.json`);
const heldDir = (ctx: FarmContext, name: string) => path.join(dirOf(ctx), `${name}.held`);
const lockOf = (ctx: FarmContext, name: string) => path.join(dirOf(ctx), `${name}.lock`);

export async function setLicense(ctx: FarmContext, name: string, count: number): Promise<void> {
  if (!isSafeName(name)) throw new UsageError(`licence name '${name}' must be letters, digits, '.', '_' or '-'`);
  await fs.mkdir(heldDir(ctx, name), { recursive: true });
  await writeFileAtomic(fileOf(ctx, name), JSON.stringify({ v: 1, name, count }) + '\n');
}

export async function readLicenseCount(ctx: FarmContext, name: string): Promise<number | null> {
  try {
    const value = parseJson(await readInfoFile(fileOf(ctx, name)), fileOf(ctx, name)) as { count?: unknown };
    return typeof value.count === 'number' && Number.isSafeInteger(value.count) && value.count >= 0 ? value.count : null;
  } catch (error) {
    if (isMissing(error)) return null;
    throw error;
  }
}

export async function requireLicense(ctx: FarmContext, name: string): Promise<void> {
  if (!isSafeName(name) || (await readLicenseCount(ctx, name)) === null) {
    throw new NotFoundError(`no licence '${name}' on spool ${ctx.layout.root} (create it: render license set ${name} COUNT)`);
  }
}

export async function listLicenses(ctx: FarmContext): Promise<License[]> {
  const names = (await listNames(dirOf(ctx))).filter((n) => n.endsWith('.json')).map((n) => n.slice(0, -5));
  const licenses: License[] = [];
  for (const name of names.sort()) {
    const count = await readLicenseCount(ctx, name);
    if (count !== null) licenses.push({ name, count, held: await listNames(heldDir(ctx, name)) });
  }
  return licenses;
}

export const holdName = (job: string, chunk: string, token: string) => `${job}~${chunk}~${token}`;

/**
 * Takes one token for a chunk being claimed (the caller holds that chunk's lock). Stale entries —
 * their chunk no longer running under their token — are reclaimed first; an entry whose chunk is locked
 * right now may be a claim in progress and is left alone.
 */
export async function acquireLicense(ctx: FarmContext, name: string, job: string, chunk: string, token: string): Promise<boolean> {
  const locked = await ctx.locks.lock(lockOf(ctx, name), 5000);
  if (!locked.ok) return false;
  try {
    const count = await readLicenseCount(ctx, name);
    if (count === null) return false;
    let held = await listNames(heldDir(ctx, name));
    if (held.length >= count) {
      held = (await Promise.all(held.map(async (entry) => ((await reclaimIfStale(ctx, name, entry)) ? null : entry)))).filter((e): e is string => e !== null);
    }
    if (held.length >= count) return false;
    touchNoFollow(path.join(heldDir(ctx, name), holdName(job, chunk, token)));
    return true;
  } finally {
    await locked.lock.release();
  }
}

export async function releaseLicense(ctx: FarmContext, name: string, job: string, chunk: string, token: string): Promise<void> {
  await fs.rm(path.join(heldDir(ctx, name), holdName(job, chunk, token)), { force: true });
}

async function reclaimIfStale(ctx: FarmContext, name: string, entry: string): Promise<boolean> {
  const [job, chunk, token] = entry.split('~');
  if (!job || !chunk || !token) {
    await fs.rm(path.join(heldDir(ctx, name), entry), { force: true });
    return true;
  }
  const lock = await ctx.locks.tryLock(ctx.layout.chunkLock(job, chunk));
  if (!lock.ok && lock.reason === 'held') return false;
  try {
    const running = lock.ok ? await readChunk(ctx, job, 'running', chunk) : { ok: false as const };
    if (running.ok && running.record.token === token) return false;
    await fs.rm(path.join(heldDir(ctx, name), entry), { force: true });
    return true;
  } finally {
    if (lock.ok) await lock.lock.release();
  }
}
