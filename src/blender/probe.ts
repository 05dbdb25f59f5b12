// What a node's Blender is and can do, asked once when renderd starts: one `blender -b --python-expr`
// run that prints its version and whether its Cycles has OpenImageDenoise. The answer is cached on disk
// per binary (path, inode, size, mtime), so a node restarted, or the next node on the machine, asks none.
import { execFile } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import type { OfferedBlender } from './fit.js';

const PROBE_TIMEOUT_MS = 120_000;
const MARK = 'RENDERD_PROBE';
// `_cycles.with_openimagedenoise` is what Cycles' own UI asks (intern/cycles/blender/addon/properties.py)
const PROBE_SCRIPT = `import bpy
try:
    import _cycles; oidn = 'yes' if _cycles.with_openimagedenoise else 'no'
except Exception:
    oidn = '?'
print('${MARK}', bpy.app.version_string.split()[0], oidn)`;

export interface ProbedBlender extends OfferedBlender {
  path: string;
}

/** `RENDERD_PROBE 4.3.2 yes` (else Blender's banner, `Blender 3.4.1 (…)`) → version and OIDN. */
export function parseProbe(output: string): OfferedBlender {
  const probe = new RegExp(`^${MARK} (\\S+) (yes|no|\\?)$`, 'm').exec(output);
  if (probe) return { version: probe[1], ...(probe[2] === '?' ? {} : { oidn: probe[2] === 'yes' }) };
  const banner = /^Blender (\d+\.\d+(?:\.\d+)?)/m.exec(output);
  return banner ? { version: banner[1] } : {};
}

function cacheFile(env: NodeJS.ProcessEnv): string {
  return path.join(env.XDG_CACHE_HOME || path.join(os.homedir(), '.cache'), 'renderd', 'blender-probes.json');
}

/** The binary's identity: a changed Blender (upgraded, replaced) is asked again. */
function keyOf(command: string): string | undefined {
  try {
    const stat = fs.statSync(command.includes('/') ? command : whichSync(command) ?? command);
    return `${command}|${stat.ino}|${stat.size}|${stat.mtimeMs}`;
  } catch {
    return undefined; // not there: asked (and fails) each time, cheaply
  }
}

function whichSync(command: string): string | undefined {
  for (const dir of (process.env.PATH ?? '').split(':')) {
    const candidate = path.join(dir || '.', command);
    if (fs.existsSync(candidate)) return candidate;
  }
  return undefined;
}

function readCache(file: string): Record<string, OfferedBlender> {
  try {
    return JSON.parse(fs.readFileSync(file, 'utf8')) as Record<string, OfferedBlender>;
  } catch {
    return {}; // none yet, or unreadable: ask Blender
  }
}

function writeCache(file: string, key: string, answer: OfferedBlender): void {
  try {
    fs.mkdirSync(path.dirname(file), { recursive: true });
    const temp = `${file}.${process.pid}.tmp`;
    // entries of binaries gone (a test's stand-ins, an uninstalled Blender) are dropped as the cache is written
    const kept = Object.entries(readCache(file)).filter(([known]) => !known.startsWith('/') || fs.existsSync(known.split('|')[0]));
    fs.writeFileSync(temp, JSON.stringify({ ...Object.fromEntries(kept), [key]: answer }));
    fs.renameSync(temp, file);
  } catch {
    // a cache that cannot be written costs one probe per start, nothing else
  }
}

function askBlender(command: string): Promise<OfferedBlender & { failed?: string }> {
  return new Promise((resolve) => {
    execFile(command, ['-b', '--factory-startup', '--python-expr', PROBE_SCRIPT], { timeout: PROBE_TIMEOUT_MS, encoding: 'utf8', maxBuffer: 4 << 20 }, (error, stdout) => {
      const answer = parseProbe(stdout ?? '');
      resolve(answer.version || !error ? answer : { failed: (error as NodeJS.ErrnoException).code === 'ENOENT' ? 'not found' : error.message.split('\n')[0] });
    });
  });
}

/** Asks (or recalls) what `command` is; `failed` says why it could not be asked. */
export async function probeBlender(command: string, env: NodeJS.ProcessEnv = process.env): Promise<ProbedBlender & { failed?: string }> {
  const file = cacheFile(env);
  const key = keyOf(command);
  const cached = key ? readCache(file)[key] : undefined;
  if (cached?.version) return { path: command, ...cached };
  const answer = await askBlender(command);
  if (key && answer.version) writeCache(file, key, { version: answer.version, oidn: answer.oidn });
  return { path: command, ...answer };
}
