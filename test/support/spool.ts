// A temporary spool (and scratch folder) per test, removed afterwards whatever happened.
import fs from 'node:fs/promises';
import os from 'node:os';
import path from 'node:path';

export interface TempSpool {
  /** Scratch folder holding the spool, ledgers, hook folders. */
  dir: string;
  /** The spool itself: `<dir>/spool` (created by the first command that opens it). */
  spool: string;
  /** A path inside the scratch folder. */
  path(...parts: string[]): string;
  cleanup(): Promise<void>;
}

/** `parent`: where the scratch folder goes (default the system's temp folder). */
export async function makeTempSpool(prefix = 'renderd-test-', parent = os.tmpdir()): Promise<TempSpool> {
  const dir = await fs.mkdtemp(path.join(parent, prefix));
  return {
    dir,
    spool: path.join(dir, 'spool'),
    path: (...parts) => path.join(dir, ...parts),
    cleanup: () => fs.rm(dir, { recursive: true, force: true }),
  };
}

/** Runs fn with a fresh temp spool and removes it afterwards, even when fn throws. */
export async function withTempSpool<T>(fn: (spool: TempSpool) => Promise<T>, prefix?: string, parent?: string): Promise<T> {
  const spool = await makeTempSpool(prefix, parent);
  try {
    return await fn(spool);
  } finally {
    await spool.cleanup();
  }
}

/** Writes an executable script (a hook, or a command for `render exec`). */
export async function writeScript(file: string, body: string, mode = 0o755): Promise<string> {
  await fs.mkdir(path.dirname(file), { recursive: true });
  await fs.writeFile(file, body.startsWith('#!') ? body : `#!/bin/sh\n${body}`, { mode });
  await fs.chmod(file, mode);
  return file;
}
