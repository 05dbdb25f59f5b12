// The machine side of `render service`: is systemd running, the service user, the unit file, systemctl.
import fs from 'node:fs/promises';
import { existsSync, lstatSync } from 'node:fs';
import path from 'node:path';
import { spawnSync } from 'node:child_process';
import { FarmError } from '../errors.js';
import { UNIT_NAME } from './unit.js';

/** Where system units go, under `root` ('/' on the machine itself, a folder for an image or a test). */
export function unitPath(root: string): string {
  return path.join(root, 'etc', 'systemd', 'system', UNIT_NAME);
}

function run(cmd: string, args: string[]): { ok: boolean; output: string } {
  const result = spawnSync(cmd, args, { encoding: 'utf8', timeout: 60_000 });
  if (result.error) return { ok: false, output: `${cmd}: ${(result.error as NodeJS.ErrnoException).code ?? result.error.message}` };
  return { ok: result.status === 0, output: `${result.stdout}${result.stderr}`.trim() };
}

/** sd_booted(): systemd is PID 1 here exactly when /run/systemd/system exists. */
export function requireRunningSystemd(action: string): void {
  if (!existsSync('/run/systemd/system')) {
    throw new FarmError('ENOSYSTEMD', `cannot ${action}: systemd is not running on this machine (no /run/systemd/system); `
      + `write the unit yourself with 'render service install --print', or use --root DIR to install it into an image`);
  }
}

export function systemctl(args: string[]): { ok: boolean; output: string } {
  return run('systemctl', args);
}

/** Runs systemctl and turns a refusal into one clear error. */
export function systemctlOrFail(args: string[]): string {
  const result = systemctl(args);
  if (!result.ok) throw new FarmError('ESYSTEMCTL', `systemctl ${args.join(' ')} failed: ${result.output.split('\n').pop() || 'no output'}`);
  return result.output;
}

export function userExists(name: string): boolean {
  return run('id', ['-u', name]).ok;
}

/** A system user with no login shell; a home of its own, for Blender's config and caches. */
export function createServiceUser(name: string): void {
  const made = run('useradd', ['--system', '--user-group', '--create-home', '--home-dir', `/var/lib/${name}`, '--shell', '/usr/sbin/nologin', name]);
  if (!made.ok) throw new FarmError('EUSERADD', `could not create the service user '${name}': ${made.output.split('\n').pop()}`);
}

export async function writeUnit(root: string, text: string): Promise<string> {
  const file = unitPath(root);
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(`${file}.tmp`, text, { mode: 0o644 });
  await fs.rename(`${file}.tmp`, file);
  return file;
}

export async function removeUnit(root: string): Promise<boolean> {
  return fs.rm(unitPath(root)).then(() => true, (error: NodeJS.ErrnoException) => {
    if (error.code === 'ENOENT') return false;
    throw error;
  });
}

/** Enabled in `root` means: linked into the wants folder of its install target (a link that points inside root). */
export function isEnabledIn(root: string): boolean {
  try {
    return lstatSync(path.join(root, 'etc', 'systemd', 'system', 'multi-user.target.wants', UNIT_NAME)).isSymbolicLink();
  } catch {
    return false;
  }
}
