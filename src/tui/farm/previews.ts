// The selected job's previews and their pictures, read off the spool by the refresh, never by a
// repaint. A preview file is stat'ed once and again only when it could have changed (the newest);
// pictures are decoded by sharp on libuv's threads and kept by file (path, mtime, size) and size.
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SpoolLayout } from '../../spool/layout.js';
import { previewsDir, type PreviewEntry } from '../../previews/paths.js';
import { loadPicture, type Picture } from '../../previews/terminal/picture.js';
import type { Graphics } from '../../previews/terminal/detect.js';

const PICTURES_KEPT = 16;

export class PreviewReader {
  private known = new Map<string, PreviewEntry>();
  private job?: string;
  private readonly pictures = new Map<string, Picture>();
  /** Files that would not decode: tried once, not every refresh. */
  private readonly failed = new Set<string>();

  constructor(private readonly layout: SpoolLayout, readonly graphics: Graphics) {}

  async list(job: string): Promise<PreviewEntry[]> {
    if (job !== this.job) { this.known = new Map(); this.job = job; }
    const dir = previewsDir(this.layout, job);
    const names = (await fs.readdir(dir).catch(() => [] as string[])).filter((n) => /^-?\d+\.png$/.test(n));
    const newest = [...this.known.values()].reduce<PreviewEntry | undefined>((a, b) => (!a || b.mtimeMs > a.mtimeMs ? b : a), undefined);
    const next = new Map<string, PreviewEntry>();
    await Promise.all(names.map(async (name) => {
      const old = this.known.get(name);
      if (old && old !== newest) return next.set(name, old);
      const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
      if (stat) next.set(name, { frame: Number(name.slice(0, -4)), path: path.join(dir, name), mtimeMs: stat.mtimeMs, size: stat.size });
    }));
    this.known = next;
    return [...next.values()].sort((a, b) => a.frame - b.frame);
  }

  cached(key: string, cols: number, rows: number): Picture | undefined {
    return this.pictures.get(`${key}@${cols}x${rows}`);
  }

  async picture(file: string, key: string, cols: number, rows: number): Promise<Picture | undefined> {
    const id = `${key}@${cols}x${rows}`;
    const hit = this.pictures.get(id);
    if (hit || this.failed.has(key)) return hit;
    let picture: Picture;
    try {
      picture = await loadPicture(file, cols, rows, this.graphics);
    } catch (error) {
      this.failed.add(key);
      throw error;
    }
    this.pictures.set(id, picture);
    if (this.pictures.size > PICTURES_KEPT) this.pictures.delete(this.pictures.keys().next().value!);
    return picture;
  }
}
