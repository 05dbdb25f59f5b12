// Runs a hook script as the daemon would: its own working directory, the node's
// environment without any RENDER_* left over from the shell running the tests, plus `vars`.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const HOOKS_DIR = fileURLToPath(new URL('../../../hooks/blender/', import.meta.url));
export const TEMPLATES_DIR = fileURLToPath(new URL('../../../templates/hooks/', import.meta.url));

/** A hook that runs longer than this has hung: fail the test rather than wait forever. */
export const HOOK_TIMEOUT_MS = 60_000;

export interface HookResult { status: number | null; signal: string | null; stdout: string; stderr: string }

export function runHook(script: string, vars: Record<string, string>, cwd: string): HookResult {
  const env: Record<string, string> = {};
  for (const [name, value] of Object.entries(process.env)) {
    if (value !== undefined && !name.startsWith('RENDER_') && name !== 'BLENDER') env[name] = value;
  }
  const result = spawnSync(script, [], { cwd, env: { ...env, ...vars }, encoding: 'utf8', timeout: HOOK_TIMEOUT_MS });
  if (result.error) throw result.error;
  return { status: result.status, signal: result.signal, stdout: result.stdout, stderr: result.stderr };
}

/** A fresh temporary folder, and the function that removes it. */
export function makeTempDir(prefix: string): { dir: string; remove: () => void } {
  const dir = mkdtempSync(join(tmpdir(), `renderd-${prefix}-`));
  return { dir, remove: () => rmSync(dir, { recursive: true, force: true }) };
}
