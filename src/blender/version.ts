// Which Blender this machine runs: `blender --version`'s first line, asked once per process.
import { execFile } from 'node:child_process';

const VERSION_TIMEOUT_MS = 60_000;
const cache = new Map<string, Promise<string | undefined>>();

/** The Blender hooks run ($BLENDER, else `blender` on the PATH). */
export function blenderCommand(env: NodeJS.ProcessEnv = process.env): string {
  return env.BLENDER || 'blender';
}

/** "Blender 3.4.1", or undefined when it cannot be run. */
export function blenderVersion(command = blenderCommand()): Promise<string | undefined> {
  let known = cache.get(command);
  if (!known) {
    known = new Promise((resolve) => {
      execFile(command, ['-b', '--factory-startup', '--version'], { timeout: VERSION_TIMEOUT_MS, encoding: 'utf8' }, (error, stdout) => {
        resolve(error ? undefined : parseBlenderVersion(stdout));
      });
    });
    cache.set(command, known);
  }
  return known;
}

export function parseBlenderVersion(output: string): string | undefined {
  return /^Blender \d+\.\d+(\.\d+)?[^\n]*/m.exec(output)?.[0].trim();
}
