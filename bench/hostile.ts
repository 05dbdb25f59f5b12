// Hostile input: decompression bombs shaped like .blend files, given to `render inspect` as a user would.
// Each bomb's peak memory is the child's own getrusage maxrss (read at its exit), its time the wall and
// CPU time of the whole command. Goal (issue 16): one clear line within seconds, under 200 MB.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';
import { writeGzipBomb, writeZstdBomb, type Bomb } from '../test/blend/bombs.js';
import { measureRender } from '../test/support/measure.js';
import { QUICK, secs, type BenchResult, type Row } from './support.js';

const MIB = 1024 * 1024;
const PEAK_GOAL_MIB = 200;

interface Case {
  label: string;
  write: (file: string) => Bomb;
}

const INFLATED = (QUICK ? 700 : 2700) * MIB;
const CASES: Case[] = [
  { label: 'gzip, 30 MiB scene blocks', write: (f) => writeGzipBomb(f, 'kept', INFLATED) },
  { label: 'gzip, one 2 GiB skipped block', write: (f) => writeGzipBomb(f, 'skipped', INFLATED) },
  { label: 'gzip, empty block heads', write: (f) => writeGzipBomb(f, 'heads', INFLATED) },
  { label: 'zstd, 30 MiB scene blocks', write: (f) => writeZstdBomb(f, 'kept', INFLATED) },
  { label: 'zstd, one 2 GiB skipped block', write: (f) => writeZstdBomb(f, 'skipped', INFLATED) },
];

export async function benchHostile(): Promise<BenchResult> {
  const rows: Row[] = [];
  const details: string[] = [
    '- method: each bomb is written to a temp file, then `render inspect FILE` runs as a child with a preload that reads',
    '  process.resourceUsage() at exit (maxRSS = peak resident memory, user+system CPU); wall time measured outside.',
  ];
  const dir = await fs.mkdtemp(path.join(os.tmpdir(), 'renderd-bench-hostile-'));
  try {
    for (const item of CASES) {
      const file = path.join(dir, 'bomb.blend');
      const bomb = item.write(file);
      const result = await measureRender(['inspect', file]);
      const line = result.stderr.trim().split('\n');
      const answered = result.code === 2 && line.length === 1;
      rows.push({
        bench: 'hostile',
        metric: `${item.label}: ${(bomb.bytes / MIB).toFixed(2)} MB claiming ${(bomb.inflated / 1024 ** 3).toFixed(1)} GB`,
        value: `${result.peakRssMiB.toFixed(0)} MiB peak, ${secs(result.wallMs, 1)} (CPU ${secs(result.cpuMs, 1)})`,
        goal: `< ${PEAK_GOAL_MIB} MiB, one line`,
        pass: answered && result.peakRssMiB < PEAK_GOAL_MIB,
        note: answered ? undefined : `exit ${result.code}: ${line.slice(0, 2).join(' / ')}`,
      });
      details.push(`- ${item.label}: ${bomb.bytes} bytes, ${bomb.inflated} claimed; exit ${result.code}; ${result.peakRssMiB.toFixed(1)} MiB peak; wall ${result.wallMs.toFixed(0)} ms, CPU ${result.cpuMs.toFixed(0)} ms; "${line[0]}"`);
      await fs.rm(file, { force: true });
    }
  } finally {
    await fs.rm(dir, { recursive: true, force: true });
  }
  return { rows, details };
}
