// `render inspect FILE --deps [--json]`: every external file the .blend uses, read from the file.
import type { Cli } from '../context.js';
import type { Dependency } from '../../blend/deps/index.js';

export async function inspectDependencies(cli: Cli, file: string, json: boolean): Promise<void> {
  const { findDependencies } = await import('../../blend/deps/index.js');
  const deps = await findDependencies(file);
  if (json) cli.json({ deps });
  else cli.out(formatDependencies(file, deps));
}

/** One row per dependency: state, kind, the path as stored, and where it resolves when that differs. */
export function formatDependencies(file: string, deps: Dependency[]): string {
  if (deps.length === 0) return `${file}: no external files`;
  const kindWidth = Math.max(...deps.map((dep) => dep.kind.length));
  const missing = deps.filter((dep) => !dep.exists).length;
  const lines = deps.map((dep) => {
    const state = dep.exists ? 'ok     ' : 'MISSING';
    const where = dep.resolved === dep.path ? '' : `  -> ${dep.resolved}`;
    const problem = dep.problem ? `  (${dep.problem})` : '';
    return `${state}  ${dep.kind.padEnd(kindWidth)}  ${dep.path}${where}${problem}`;
  });
  lines.push(`${deps.length} file(s), ${missing} missing`);
  return lines.join('\n');
}
