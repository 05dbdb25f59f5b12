// A merge that finishes the frame in Blender (a scene that denoises, or whose compositor reads across tile
// edges): the assembled multilayer EXR of the whole frame goes to Blender, which runs the compositor on it
// (denoising it first) and saves the frame with the scene's own image settings (libexec/tiles-composite.py).
import { spawn } from 'node:child_process';
import fs from 'node:fs/promises';
import { libexecPath } from '../hooks/defaults.js';
import type { TileCompositor } from './geometry.js';

export interface CompositeRun {
  /** The Blender to run: the node's pick for the merge job ($BLENDER), else `blender` on the PATH. */
  blender: string;
  file: string;
  scene?: string;
  /** The one view layer the job renders (`--view-layer`); else every enabled one. */
  viewLayer?: string;
  /** The assembled multilayer EXR, and where the finished frame goes (a temp path renamed in after). */
  merged: string;
  output: string;
}

/** Blender's command line for one frame: the .blend first, as Blender applies arguments in order. */
export function compositeArgv(run: CompositeRun, compositor: TileCompositor): string[] {
  return ['-b', run.file, ...(run.scene ? ['-S', run.scene] : []), '--python-exit-code', '2',
    '--python', libexecPath('tiles-composite.py'), '--', run.merged, run.output, compositor.denoise ? '1' : '0', compositor.format,
    ...(run.viewLayer ? [run.viewLayer] : [])];
}

/** Runs it, Blender's lines going to the merge chunk's log; a failure says Blender's last line. */
export async function compositeFrame(run: CompositeRun, compositor: TileCompositor): Promise<void> {
  const child = spawn(run.blender, compositeArgv(run, compositor), { stdio: ['ignore', 'inherit', 'pipe'] });
  let lastError = '';
  child.stderr.on('data', (data: Buffer) => {
    process.stderr.write(data);
    lastError = data.toString().trim().split('\n').filter(Boolean).at(-1) ?? lastError;
  });
  const code = await new Promise<number | null>((resolve, reject) => {
    child.on('error', reject);
    child.on('close', resolve);
  });
  if (code !== 0) throw new Error(`${run.blender} exited ${code} finishing the frame${lastError ? `: ${lastError}` : ''}`);
  // Blender's exit code does not say whether it saved: the file does
  await fs.access(run.output).catch(() => {
    throw new Error(`${run.blender} wrote no ${run.output}`);
  });
}
