// Job graphs: jobs with local refs, groups of them, and dependencies between them. Pure: ordering
// (dependencies first) and cycle detection, and validation of a graph read from a JSON file.
import { UsageError } from '../../errors.js';
import { JOB_INPUT_KEYS, type JobInput } from '../build.js';

export interface GraphJob {
  ref: string;
  input: JobInput;
  /** Refs of jobs or groups in this graph; other strings are existing jobs on the spool. */
  after: string[];
}

export interface Graph {
  jobs: GraphJob[];
  groups: Map<string, string[]>;
}

/** Expands group refs into their member jobs (recursively); `path` holds the groups being expanded. */
function expand(ref: string, graph: Graph, path: readonly string[] = []): string[] {
  const members = graph.groups.get(ref);
  if (!members) return [ref];
  // a group shared by two sibling groups is fine; only one inside itself is a cycle
  if (path.includes(ref)) throw new UsageError(`group '${ref}' contains itself: ${[...path.slice(path.indexOf(ref)), ref].join(' → ')}`);
  return [...new Set(members.flatMap((member) => expand(member, graph, [...path, ref])))];
}

/** Each job's dependencies inside the graph (`internal`) and on the spool (`external`). */
export function splitDependencies(job: GraphJob, graph: Graph): { internal: string[]; external: string[] } {
  const refs = new Set(graph.jobs.map((j) => j.ref));
  const internal: string[] = [];
  const external: string[] = [];
  for (const raw of job.after) {
    const any = raw.endsWith(':any');
    const ref = any ? raw.slice(0, -4) : raw;
    if (refs.has(ref) || graph.groups.has(ref)) internal.push(...expand(ref, graph).map((r) => (any ? `${r}:any` : r)));
    else external.push(raw);
  }
  return { internal, external };
}

/** The jobs in an order where every job comes after its dependencies; a cycle is a usage error naming it. */
export function orderGraph(graph: Graph): GraphJob[] {
  const byRef = new Map(graph.jobs.map((job) => [job.ref, job]));
  const state = new Map<string, 'visiting' | 'done'>();
  const order: GraphJob[] = [];
  const visit = (job: GraphJob, path: string[]) => {
    if (state.get(job.ref) === 'done') return;
    if (state.get(job.ref) === 'visiting') throw new UsageError(`dependency cycle: ${[...path.slice(path.indexOf(job.ref)), job.ref].join(' → ')}`);
    state.set(job.ref, 'visiting');
    for (const dep of splitDependencies(job, graph).internal) visit(byRef.get(dep.replace(/:any$/, ''))!, [...path, job.ref]);
    state.set(job.ref, 'done');
    order.push(job);
  };
  for (const job of graph.jobs) visit(job, []);
  return order;
}

/** Reads a graph from parsed JSON: `{"jobs": [{"ref": "a", "command": [...], "after": [...]}, {"ref": "g", "group": ["a"]}]}`. */
export function parseGraph(raw: unknown, where: string): Graph {
  const entries = (raw as { jobs?: unknown })?.jobs;
  if (!Array.isArray(entries) || entries.length === 0) throw new UsageError(`${where}: expected {"jobs": [...]} with at least one job`);
  const graph: Graph = { jobs: [], groups: new Map() };
  const seen = new Set<string>();
  entries.forEach((entry, i) => {
    if (typeof entry !== 'object' || entry === null || Array.isArray(entry)) throw new UsageError(`${where}: jobs[${i}] is not an object`);
    const { ref = `job${i + 1}`, after = [], group, ...input } = entry as Record<string, unknown>;
    if (typeof ref !== 'string' || !/^[A-Za-z0-9_.-]+$/.test(ref)) throw new UsageError(`${where}: jobs[${i}].ref must be letters, digits, '.', '_' or '-'`);
    if (seen.has(ref)) throw new UsageError(`${where}: ref '${ref}' is used twice`);
    seen.add(ref);
    if (!Array.isArray(after) || after.some((a) => typeof a !== 'string')) throw new UsageError(`${where}: ${ref}.after must be a list of refs or job ids`);
    if (group !== undefined) {
      if (!Array.isArray(group) || group.some((g) => typeof g !== 'string')) throw new UsageError(`${where}: ${ref}.group must be a list of refs`);
      graph.groups.set(ref, group as string[]);
      return;
    }
    const unknown = Object.keys(input).filter((key) => !JOB_INPUT_KEYS.has(key));
    if (unknown.length) throw new UsageError(`${where}: ${ref} has unknown option(s) ${unknown.join(', ')}`);
    graph.jobs.push({ ref, input: input as unknown as JobInput, after: after as string[] });
  });
  for (const [ref, members] of graph.groups) {
    for (const member of members) if (!seen.has(member)) throw new UsageError(`${where}: group '${ref}' names '${member}', which is not in the file`);
  }
  return graph;
}
