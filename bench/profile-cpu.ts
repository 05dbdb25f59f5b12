// Reading a V8 .cpuprofile (node --cpu-prof) of one renderd: sampled main-thread time by the part of
// renderd that caused it (the nearest dist/src/<domain>/ frame) and by the code that ran (leaf library).
import fs from 'node:fs';

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string };
  children?: number[];
}

interface CpuProfile {
  nodes: ProfileNode[];
  samples: number[];
  timeDeltas: number[];
}

export interface CpuBreakdown {
  /** Sampled ms by renderd domain (claim, daemon, hooks, spool…) or a pseudo-frame (idle, gc, program). */
  byDomain: Map<string, number>;
  /** Sampled ms by where the leaf frame lives: a package, a node: internal module, renderd's own code. */
  byLeaf: Map<string, number>;
  totalMs: number;
}

const PSEUDO: Record<string, string> = { '(idle)': 'idle (waiting)', '(garbage collector)': 'garbage collector', '(program)': 'V8/native (program)', '(root)': 'root' };

function leafKind(url: string, fn: string): string {
  if (PSEUDO[fn]) return PSEUDO[fn];
  const pkg = /node_modules\/((?:@[^/]+\/)?[^/]+)/.exec(url);
  if (pkg) return pkg[1];
  if (url.includes('/dist/src/')) return 'renderd code';
  if (url.startsWith('node:internal/child_process') || url.startsWith('node:child_process')) return 'node child_process';
  if (url.startsWith('node:internal/fs') || url.startsWith('node:fs')) return 'node fs';
  if (url.startsWith('node:internal/modules') || url.startsWith('node:internal/main')) return 'module loading';
  if (url.startsWith('node:internal/streams') || url.startsWith('node:stream') || url.startsWith('node:net')) return 'node streams';
  if (url.startsWith('node:')) return 'node other';
  return fn ? `native: ${fn}` : 'native';
}

export function readCpuProfile(file: string): CpuBreakdown {
  const profile = JSON.parse(fs.readFileSync(file, 'utf8')) as CpuProfile;
  const byId = new Map(profile.nodes.map((n) => [n.id, n]));
  const parent = new Map<number, number>();
  for (const node of profile.nodes) for (const child of node.children ?? []) parent.set(child, node.id);
  const domainCache = new Map<number, string>();
  const domainOf = (id: number): string => {
    const cached = domainCache.get(id);
    if (cached) return cached;
    const node = byId.get(id)!;
    let result: string;
    const pseudo = PSEUDO[node.callFrame.functionName];
    if (pseudo) result = pseudo;
    else {
      result = 'outside renderd (start-up, libraries on their own)';
      for (let p: number | undefined = id; p !== undefined; p = parent.get(p)) {
        const match = /\/dist\/src\/([^/]+)\/([^/]+)\.js/.exec(byId.get(p)!.callFrame.url);
        if (match) { result = `${match[1]}/${match[2]}`; break; }
      }
    }
    domainCache.set(id, result);
    return result;
  };
  const byDomain = new Map<string, number>();
  const byLeaf = new Map<string, number>();
  let totalMs = 0;
  profile.samples.forEach((id, i) => {
    const deltaMs = (profile.timeDeltas[i + 1] ?? 0) / 1000;
    totalMs += deltaMs;
    const node = byId.get(id)!;
    const domain = domainOf(id);
    byDomain.set(domain, (byDomain.get(domain) ?? 0) + deltaMs);
    const leaf = leafKind(node.callFrame.url, node.callFrame.functionName);
    byLeaf.set(leaf, (byLeaf.get(leaf) ?? 0) + deltaMs);
  });
  return { byDomain, byLeaf, totalMs };
}

/** "a 1.2, b 0.8, …": the biggest entries per chunk. */
export function topPerChunk(map: Map<string, number>, chunks: number, count = 8): string {
  return [...map].sort((a, b) => b[1] - a[1]).slice(0, count).map(([k, v]) => `${k} ${(v / chunks).toFixed(2)}`).join(', ');
}
