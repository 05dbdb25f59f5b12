// The submitter's side of paths per machine: a job's .blend and output under a project root are
// also stored in the root's form, so every node finds them at its own mount.
import os from 'node:os';
import path from 'node:path';
import { toRootForm } from './mapping.js';
import { readProjectRoots } from './roots.js';

export async function rootedPaths(spoolDir: string, spec: { file?: string; output?: string }, env: NodeJS.ProcessEnv): Promise<{ fileRooted?: string; outputRooted?: string }> {
  const roots = await readProjectRoots(spoolDir);
  if (!roots.length) return {};
  const node = env.RENDER_NODE ?? os.hostname().split('.')[0];
  const file = spec.file ? toRootForm(spec.file, roots, node) : null;
  // `//…` outputs are relative to the .blend: they follow it wherever it is mounted
  const output = spec.output && path.isAbsolute(spec.output) && !spec.output.startsWith('//') ? toRootForm(spec.output, roots, node) : null;
  return { ...(file ? { fileRooted: file } : {}), ...(output ? { outputRooted: output } : {}) };
}
