// A running chunk's file name carries its claim: `<chunk>~<node>~<instance>~<token>.json`. Claiming is
// then one rename out of queued/, with no rewrite: the name says who holds the chunk and which attempt's
// result may be recorded (the token), and nobody can hold a name that another claim made.

/** Who claimed a running chunk: the node, its renderd process (instance) and the attempt's token. */
export interface Claim {
  node: string;
  instance: string;
  token: string;
}

export interface RunningName {
  chunk: string;
  /** Absent for a plain `<chunk>.json`: a claim from before claims were named (or its repair pending). */
  claim?: Claim;
}

const SEPARATOR = '~';

export function runningFileName(chunk: string, claim: Claim): string {
  return `${chunk}${SEPARATOR}${claim.node}${SEPARATOR}${claim.instance}${SEPARATOR}${claim.token}.json`;
}

/** What a file name in running/ says, or null for a name that is not a chunk's (a temp file, a stray). */
export function parseRunningName(name: string): RunningName | null {
  if (!name.endsWith('.json') || name.startsWith('.')) return null;
  const parts = name.slice(0, -5).split(SEPARATOR);
  if (parts.length === 1) return { chunk: parts[0]! };
  const [chunk, node, instance, token] = parts;
  if (parts.length !== 4 || !chunk || !node || !instance || !token) return null;
  return { chunk, claim: { node, instance, token } };
}

/** The chunk id a file name in any state directory stands for, or null. */
export function chunkIdOf(name: string): string | null {
  return parseRunningName(name)?.chunk ?? null;
}
