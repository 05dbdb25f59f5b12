// The I/O of `render add --pack DIR`: copy the .blend, its libraries and every dependency into DIR
// (shared storage), rewriting absolute paths so the copy renders on any node that sees DIR.
import { cp, mkdir, readFile, stat, writeFile } from 'node:fs/promises';
import path from 'node:path';
import { findDependencies, listDependencyFiles, readStoredPaths, type Dependency } from '../../blend/deps/index.js';
import { UsageError } from '../../errors.js';
import { planPack } from './plan.js';
import { decompressBlend, rewritePaths } from './rewrite.js';

export interface Packed {
  /** The packed .blend to queue. */
  file: string;
  /** Files and folders copied, .blend files included. */
  copied: number;
  /** One line each: dependencies left behind (missing) or paths that could not be rewritten. */
  warnings: string[];
}

export async function packBlend(blendFile: string, packDir: string): Promise<Packed> {
  const target = path.resolve(packDir);
  const deps = await findDependencies(blendFile);
  const files = new Map<Dependency, string[]>(deps.map((dep) => [dep, listDependencyFiles(dep.kind, dep.resolved)]));
  const plan = planPack(blendFile, deps, files, target);
  const folders = [...plan.copies.keys()].filter((source) => files.get(deps.find((dep) => dep.resolved === source)!)?.[0] === source && isInside(target, source));
  if (plan.main === blendFile || folders.length) {
    // packing over the originals, or into a cache folder it copies (which never ends)
    throw new UsageError(`--pack ${packDir}: pick a folder outside the project's files (${plan.base})`);
  }
  const warnings = deps.filter((dep) => files.get(dep)!.length === 0).map((dep) => `not packed, missing ${dep.kind}: ${dep.path}`);
  for (const [source, destination] of plan.copies) {
    await mkdir(path.dirname(destination), { recursive: true });
    await cp(source, destination, { recursive: (await stat(source)).isDirectory(), preserveTimestamps: true });
  }
  for (const [source, { destination, rewrites }] of plan.blends) {
    await mkdir(path.dirname(destination), { recursive: true });
    if (rewrites.size === 0) {
      await cp(source, destination, { preserveTimestamps: true });
      continue;
    }
    const stored = await readStoredPaths(source);
    const { bytes, tooLong } = rewritePaths(decompressBlend(await readFile(source), stored.compression), stored.paths, rewrites);
    await writeFile(destination, bytes);
    for (const old of tooLong) warnings.push(`${path.basename(source)}: ${old} kept as it is: its new path does not fit the field`);
  }
  return { file: plan.main, copied: plan.copies.size + plan.blends.size, warnings };
}

function isInside(file: string, folder: string): boolean {
  const relative = path.relative(folder, file);
  return !relative.startsWith('..') && !path.isAbsolute(relative);
}
