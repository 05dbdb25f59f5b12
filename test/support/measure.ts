// Runs `render ARGS…` as a child and reports what it cost: exit code, output, wall time, CPU time and
// peak memory (read by the child itself at exit, see peak-rss.ts).
import { execFile } from 'node:child_process';
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { RENDER_BIN } from './paths.js';

export interface Measured {
  code: number;
  stdout: string;
  stderr: string;
  wallMs: number;
  cpuMs: number;
  peakRssMiB: number;
}

const PRELOAD = pathToFileURL(path.join(path.dirname(fileURLToPath(import.meta.url)), 'peak-rss.js')).href;

export async function measureRender(args: string[], timeoutMs = 120_000): Promise<Measured> {
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'renderd-measure-'));
  const report = path.join(dir, 'usage.json');
  try {
    const started = performance.now();
    const { code, stdout, stderr } = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve, reject) => {
      execFile(process.execPath, ['--import', PRELOAD, RENDER_BIN, ...args], { timeout: timeoutMs, killSignal: 'SIGKILL', env: { ...process.env, PEAK_RSS_FILE: report } }, (error, out, err) => {
        const failure = error as (NodeJS.ErrnoException & { code?: number | string; killed?: boolean }) | null;
        if (failure?.killed) return reject(new Error(`render ${args.join(' ')}: killed after ${timeoutMs} ms`));
        resolve({ code: typeof failure?.code === 'number' ? failure.code : failure ? 1 : 0, stdout: out, stderr: err });
      });
    });
    const wallMs = performance.now() - started;
    const usage = JSON.parse(await fs.readFile(report, 'utf8')) as { maxRssKiB: number; cpuMs: number };
    return { code, stdout, stderr, wallMs, cpuMs: usage.cpuMs, peakRssMiB: usage.maxRssKiB / 1024 };
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
}
