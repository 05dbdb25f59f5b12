// Child process for run.test.ts: runs one hook with runHook and prints {outcome, lines} as JSON; or, given
// `sequence`, runs those hooks one after another (through the same launcher) and prints each one's.
import os from 'node:os';
import { runHook } from '../../src/hooks/run.js';

interface HookRequest { command: string[]; env?: Record<string, string>; nice?: number; cwd?: string }
const request = JSON.parse(process.argv[2] ?? '{}') as HookRequest & { sequence?: HookRequest[] };

async function runOne(hook: HookRequest) {
  const lines: string[] = [];
  const outcome = await runHook({
    command: hook.command,
    cwd: hook.cwd ?? os.tmpdir(),
    env: hook.env ?? { PATH: process.env.PATH ?? '/usr/bin:/bin' },
    nice: hook.nice ?? 0,
    onLine: (line) => lines.push(line),
    signal: new AbortController().signal,
  });
  return { outcome, lines };
}

if (request.sequence) {
  const results = [];
  for (const hook of request.sequence) results.push(await runOne(hook));
  process.stdout.write(JSON.stringify(results));
} else {
  process.stdout.write(JSON.stringify(await runOne(request)));
}
