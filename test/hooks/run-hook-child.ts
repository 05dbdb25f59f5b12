// Child process for run.test.ts: runs one hook with runHook and prints {outcome, lines} as JSON.
import os from 'node:os';
import { runHook } from '../../src/hooks/run.js';

const request = JSON.parse(process.argv[2] ?? '{}') as { command: string[]; nice?: number; cwd?: string };
const lines: string[] = [];
const outcome = await runHook({
  command: request.command,
  cwd: request.cwd ?? os.tmpdir(),
  env: { PATH: process.env.PATH ?? '/usr/bin:/bin' },
  nice: request.nice ?? 0,
  onLine: (line) => lines.push(line),
  signal: new AbortController().signal,
});
process.stdout.write(JSON.stringify({ outcome, lines }));
