// Making a staged job durable before it is renamed in: a job that appears after a crash must be whole,
// so every file written for it, and every folder that names one, is on disk first.
import fs from 'node:fs/promises';
import path from 'node:path';

/** Files flushed at once: enough to keep the disk's queue full, far fewer than the open-file limit. */
const PARALLEL = 64;

/** Writes a new file and flushes it to disk before resolving. */
export async function writeFileDurable(file: string, data: string): Promise<void> {
  const handle = await fs.open(file, 'wx', 0o644);
  try {
    await handle.writeFile(data);
    await handle.sync();
  } finally {
    await handle.close();
  }
}

/** Flushes a folder's entries (the names of what was created or renamed in it). */
export async function syncDir(dir: string): Promise<void> {
  const handle = await fs.open(dir, 'r');
  try {
    await handle.sync();
  } catch (error) {
    // some filesystems cannot fsync a directory (EINVAL): their metadata is written through anyway
    if ((error as NodeJS.ErrnoException).code !== 'EINVAL') throw error;
  } finally {
    await handle.close();
  }
}

/** Flushes every regular file under `root` and every folder, bottom-up (the hook snapshot). */
export async function syncTree(root: string): Promise<void> {
  const entries = await fs.readdir(root, { withFileTypes: true, recursive: true });
  const files = entries.filter((e) => e.isFile()).map((e) => path.join(e.parentPath, e.name));
  await inBatches(files, syncFile);
  const dirs = entries.filter((e) => e.isDirectory()).map((e) => path.join(e.parentPath, e.name));
  await inBatches([...dirs, root], syncDir);
}

async function syncFile(file: string): Promise<void> {
  const handle = await fs.open(file, 'r');
  try {
    await handle.sync();
  } finally {
    await handle.close();
  }
}

export async function inBatches<T>(items: readonly T[], each: (item: T) => Promise<void>): Promise<void> {
  for (let start = 0; start < items.length; start += PARALLEL) {
    await Promise.all(items.slice(start, start + PARALLEL).map(each));
  }
}
