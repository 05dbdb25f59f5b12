// Where previews live: jobs/<job>/previews/<frame>.png, the frame as Blender pads it (0001, -001).
import fs from 'node:fs/promises';
import path from 'node:path';
import type { SpoolLayout } from '../spool/layout.js';

/** Previews are this wide (smaller frames keep their size). */
export const PREVIEW_WIDTH = 320;

export function previewsDir(layout: SpoolLayout, job: string): string {
  return path.join(layout.jobDir(job), 'previews');
}

export function previewName(frame: number): string {
  const digits = String(Math.abs(frame)).padStart(frame < 0 ? 3 : 4, '0');
  return `${frame < 0 ? '-' : ''}${digits}.png`;
}

export function previewFile(layout: SpoolLayout, job: string, frame: number): string {
  return path.join(previewsDir(layout, job), previewName(frame));
}

export interface PreviewEntry { frame: number; path: string; mtimeMs: number; size: number }

/** The job's previews, by frame; none when the folder is missing. */
export async function listPreviews(layout: SpoolLayout, job: string): Promise<PreviewEntry[]> {
  const dir = previewsDir(layout, job);
  const names = await fs.readdir(dir).catch(() => [] as string[]);
  const entries: PreviewEntry[] = [];
  for (const name of names) {
    const match = /^(-?\d+)\.png$/.exec(name);
    if (!match) continue;
    const stat = await fs.stat(path.join(dir, name)).catch(() => undefined);
    if (stat?.isFile()) entries.push({ frame: Number(match[1]), path: path.join(dir, name), mtimeMs: stat.mtimeMs, size: stat.size });
  }
  return entries.sort((a, b) => a.frame - b.frame);
}

/** The frame that landed last: newest file, the higher frame on a tie. */
export function latestPreview(entries: readonly PreviewEntry[]): PreviewEntry | undefined {
  return entries.reduce<PreviewEntry | undefined>((best, e) => (!best || e.mtimeMs > best.mtimeMs || (e.mtimeMs === best.mtimeMs && e.frame > best.frame) ? e : best), undefined);
}
