// What `render add` warns about before queueing a .blend: dependencies that are missing, and files
// other nodes cannot reach — neither on the spool's filesystem nor under a project root.
import { stat } from 'node:fs/promises';
import path from 'node:path';
import type { Dependency } from '../blend/deps/index.js';
import { isUnder } from './roots.js';

export interface DependencyWarning {
  problem: 'missing' | 'unreachable' | 'unreadable';
  kind: string;
  path: string;
  resolved: string;
  /** One line for a terminal. */
  message: string;
}

export interface ReachContext {
  spoolDir: string;
  /** Absolute folders every node sees (project roots). */
  roots: string[];
}

export async function checkDependencies(blendFile: string, deps: Dependency[], reach: ReachContext): Promise<DependencyWarning[]> {
  const spoolDevice = await deviceOf(reach.spoolDir);
  const isReachable = async (file: string) =>
    reach.roots.some((root) => isUnder(file, root)) || (spoolDevice !== null && (await deviceOf(file)) === spoolDevice);
  const warnings: DependencyWarning[] = [];
  if (!(await isReachable(blendFile))) {
    warnings.push(warn('unreachable', { kind: 'blend', path: blendFile, resolved: blendFile }, 'the .blend itself is not on the spool\'s filesystem nor under a project root'));
  }
  for (const dep of deps) {
    if (dep.problem) warnings.push(warn('unreadable', dep, dep.problem));
    else if (!dep.exists) warnings.push(warn('missing', dep, 'does not exist'));
    else if (!(await isReachable(dep.resolved))) warnings.push(warn('unreachable', dep, 'not on the spool\'s filesystem nor under a project root: other nodes cannot read it'));
  }
  return warnings;
}

function warn(problem: DependencyWarning['problem'], dep: { kind: string; path: string; resolved: string }, why: string): DependencyWarning {
  const where = dep.resolved === dep.path ? dep.path : `${dep.path} (${dep.resolved})`;
  return { problem, kind: dep.kind, path: dep.path, resolved: dep.resolved, message: `${problem} ${dep.kind}: ${where}: ${why}` };
}

/** The device of the file, or of its nearest existing parent (a missing file's folder decides). */
async function deviceOf(file: string): Promise<number | null> {
  for (let at = file; ; at = path.dirname(at)) {
    try {
      return (await stat(at)).dev;
    } catch {
      if (path.dirname(at) === at) return null;
    }
  }
}
